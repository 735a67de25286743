<%inherit file="/base.mako"/>
<%
    # Literal ids so that extraction sees every one of them.
    messages = {
        401: t("error.401"),
        404: t("error.404"),
        422: t("error.422"),
        429: t("error.429"),
    }
%>
<%def name="title()">${status_code}</%def>
<h1>${status_code}</h1>
<p class="error" id="error-message">${messages.get(status_code) or t("error.500")}</p>
