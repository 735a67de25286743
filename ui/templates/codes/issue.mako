<%inherit file="../base.mako"/>
<h1>${t('codes.issue.title')}</h1>
% if welcome:
<div class="welcome">${welcome}</div>
% endif
<form id="issue-form" class="card" data-endpoint="/codes/issue">
  <fieldset>
    <legend>${t('codes.issue.diagnosis')}</legend>
    % for i, tt in enumerate(test_types):
    <label class="radio">
      <input type="radio" name="testType" value="${tt}" ${'checked' if i == 0 else ''}>
      <strong>${t('codes.issue.type-' + tt)}</strong>
      <span class="hint">${t('codes.issue.type-' + tt + '-help')}</span>
    </label>
    % endfor
  </fieldset>
  <label for="symptomDate">${t('codes.issue.symptom-date')}</label>
  <input type="date" id="symptomDate" name="symptomDate" min="${min_date}" max="${max_date}" ${'required' if realm.require_date else ''}>
  <label for="testDate">${t('codes.issue.test-date')}</label>
  <input type="date" id="testDate" name="testDate" min="${min_date}" max="${max_date}" ${'required' if realm.require_date else ''}>
  % if has_sms:
    % if templates:
  <label for="smsTemplateLabel">${t('codes.issue.sms-template')}</label>
  <select id="smsTemplateLabel" name="smsTemplateLabel">
    <option value="">${t('codes.issue.default-template')}</option>
      % for label in templates:
    <option value="${label}" ${'selected' if membership.default_sms_template_label == label else ''}>${label}</option>
      % endfor
  </select>
    % endif
  <label for="phone">${t('codes.issue.phone')}</label>
  <input type="tel" id="phone" name="phone" placeholder="+15555550100" data-country="${realm.sms_country or 'us'}">
  % endif
  <button type="submit" id="issue-submit">${t('codes.issue.create')}</button>
</form>
<section id="issue-result" class="card result" hidden>
  <h2 id="result-heading" data-sms="${t('codes.issue.sms-sent')}" data-plain="${t('codes.issue.generated')}">${t('codes.issue.generated')}</h2>
  <p id="sms-expiry" hidden>${t('codes.issue.link-expires-in')} <span class="countdown" id="long-countdown"></span></p>
  <p id="backup-label" hidden>${t('codes.issue.backup-code')}</p>
  <div id="code-digits" class="digits" aria-label="code"></div>
  <p>${t('codes.issue.expires-in')} <span class="countdown" id="code-countdown"></span></p>
  <p>${t('codes.issue.uuid')} <code id="code-uuid"></code>
     <button type="button" id="copy-uuid" class="link">${t('codes.issue.copy')}</button></p>
  <button type="button" id="issue-reset">${t('codes.issue.new-code')}</button>
</section>
