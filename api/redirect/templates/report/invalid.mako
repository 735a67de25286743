<%inherit file="/base.mako"/>
<%doc>Shown when the app sent no nonce: apps read the 200 as "slow down".</%doc>
<%def name="title()">${t("report.invalid-title")}</%def>
<h1>${t("report.invalid-title")}</h1>
<p class="error" id="error-message">${t("report.invalid-request")}</p>
