<%inherit file="../base.mako"/>
<%
    # Literal ids so that extraction sees every one of them.
    type_texts = {
        'confirmed': (t('codes.issue.type-confirmed'), t('codes.issue.type-confirmed-help')),
        'likely': (t('codes.issue.type-likely'), t('codes.issue.type-likely-help')),
        'negative': (t('codes.issue.type-negative'), t('codes.issue.type-negative-help')),
    }
%>
<h1 class="h3 page-title"><i class="bi bi-plus-square" aria-hidden="true"></i> ${t('codes.issue.title')}</h1>
% if welcome:
<div class="welcome mb-4" id="welcome-message">${welcome | n}</div>
% endif
<div class="row g-4">
<div class="col-lg-8 col-xl-7">
<form id="issue-form" class="card" data-endpoint="/codes/issue">
  <div class="card-body">
  <fieldset class="mb-3">
    <legend class="form-label fs-6 fw-semibold">${t('codes.issue.diagnosis')}</legend>
    <div class="d-grid gap-2">
    % for i, tt in enumerate(test_types):
      <label class="test-type form-check border rounded-2 px-3 py-2 ps-5 mb-0">
        <input class="form-check-input" type="radio" name="testType" value="${tt}" ${'checked' if i == 0 else ''}>
        <span class="fw-semibold">${type_texts[tt][0]}</span>
        <span class="d-block hint">${type_texts[tt][1]}</span>
      </label>
    % endfor
    </div>
  </fieldset>
  <div class="row g-3 mb-3">
    <div class="col-sm-6">
      <label class="form-label" for="symptomDate">${t('codes.issue.symptom-date')}</label>
      <input class="form-control" type="date" id="symptomDate" name="symptomDate" min="${min_date}" max="${max_date}" ${'required' if realm.require_date else ''}>
    </div>
    <div class="col-sm-6">
      <label class="form-label" for="testDate">${t('codes.issue.test-date')}</label>
      <input class="form-control" type="date" id="testDate" name="testDate" min="${min_date}" max="${max_date}" ${'required' if realm.require_date else ''}>
    </div>
  </div>
  % if has_sms:
    % if templates:
  <div class="mb-3">
    <label class="form-label" for="smsTemplateLabel">${t('codes.issue.sms-template')}</label>
    <select class="form-select" id="smsTemplateLabel" name="smsTemplateLabel">
      <option value="">${t('codes.issue.default-template')}</option>
      % for label in templates:
      <option value="${label}" ${'selected' if membership.default_sms_template_label == label else ''}>${label}</option>
      % endfor
    </select>
  </div>
    % endif
  <div class="mb-3">
    <label class="form-label" for="phone">${t('codes.issue.phone')}</label>
    <div class="input-group">
      <span class="input-group-text"><i class="bi bi-telephone" aria-hidden="true"></i></span>
      <input class="form-control" type="tel" id="phone" name="phone" placeholder="+15555550100" autocomplete="off" data-country="${realm.sms_country or 'us'}">
    </div>
  </div>
  % endif
  <button type="submit" id="issue-submit" class="btn btn-primary"><i class="bi bi-plus-circle" aria-hidden="true"></i> ${t('codes.issue.create')}</button>
  </div>
</form>
<section id="issue-result" class="card result border-success-subtle" hidden>
  <div class="card-body">
  <h2 class="h5 text-success-emphasis" id="result-heading" data-sms="${t('codes.issue.sms-sent')}" data-plain="${t('codes.issue.generated')}">${t('codes.issue.generated')}</h2>
  <p id="sms-expiry" class="mb-2" hidden>${t('codes.issue.link-expires-in')} <span class="countdown fw-semibold" id="long-countdown"></span></p>
  <p id="backup-label" class="hint mb-0" hidden>${t('codes.issue.backup-code')}</p>
  <div id="code-digits" class="digits" aria-label="${t('codes.issue.code-label')}"></div>
  <p>${t('codes.issue.expires-in')} <span class="countdown fw-semibold" id="code-countdown"></span></p>
  <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
    <span class="text-body-secondary">${t('codes.issue.uuid')}</span>
    <code id="code-uuid" class="text-uuid"></code>
    <button type="button" id="copy-uuid" class="btn btn-outline-secondary btn-sm"><i class="bi bi-clipboard" aria-hidden="true"></i> ${t('codes.issue.copy')}</button>
  </div>
  <button type="button" id="issue-reset" class="btn btn-primary"><i class="bi bi-arrow-counterclockwise" aria-hidden="true"></i> ${t('codes.issue.new-code')}</button>
  </div>
</section>
</div>
</div>
