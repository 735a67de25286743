<%inherit file="/base.mako"/>
<%def name="title()">${t("report.success-title")}</%def>
<h1 id="success">${t("report.success-title")}</h1>
<p id="success-body">${realm_t("webReportSuccessMessage", t("report.success-body"))}</p>
% if ios:
<p id="close-hint">${t("report.success-close")}</p>
% endif
