<%inherit file="/base.mako"/>
<%def name="title()">${status_code}</%def>
<h1>${status_code}</h1>
<p class="error" id="error-message">${t("error.%d" % status_code)}</p>
