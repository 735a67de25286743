<%inherit file="/base.mako"/>
<%doc>The user-report form; `skip_form` leaves only the messages.</%doc>
<%def name="title()">${t("report.title")}</%def>
<% agency = realm_t("agencyDisplayName", realm.name) %>
% if realm.agency_image:
<img class="agency" src="${realm.agency_image}" alt="${agency}">
% endif
<p class="agency-name" id="agency-name">${agency}</p>
<h1>${t("report.title")}</h1>
% if errors:
<div class="errors" role="alert" id="errors">
  % for message in errors:
  <p>${message}</p>
  % endfor
</div>
% endif
% if not skip_form:
<p id="intro">${realm_t("webReportIntroMessage", t("report.intro"))}</p>
<form method="post" action="/report/issue${lang_query}" id="report-form">
  <input type="hidden" name="csrf_token" value="${csrf_token}">
  <label for="testDate">${t("report.test-date")}</label>
  <input type="date" id="testDate" name="testDate" min="${min_date.isoformat()}" max="${max_date.isoformat()}" value="${form["testDate"]}">
  <small id="test-date-help">${realm_t("webReportDateMessage", t("report.test-date-help", min=fmt.date(min_date), max=fmt.date(max_date)))}</small>
  % if field_errors.get("testDate"):
  <p class="field-error">${field_errors["testDate"]}</p>
  % endif
  <label for="phone">${t("report.phone")}</label>
  <input type="tel" id="phone" name="phone" autocomplete="tel" value="${form["phone"]}" required>
  <small id="phone-help">${realm_t("webReportPhoneNumberMessage", t("report.phone-help", duration=fmt.duration(duration)))}</small>
  % if field_errors.get("phone"):
  <p class="field-error">${field_errors["phone"]}</p>
  % endif
  <label class="check">
    <input type="checkbox" id="agreement" name="agreement" value="true"${" checked" if form["agreement"] else ""}>
    ${t("report.agreement")}
  </label>
  % if field_errors.get("agreement"):
  <p class="field-error">${field_errors["agreement"]}</p>
  % endif
  <button type="submit" id="submit">${t("report.submit")}</button>
</form>
% if realm.user_report_learn_more_url:
<p><a href="${realm.user_report_learn_more_url}" rel="noopener">${t("report.learn-more")}</a></p>
% endif
% endif
