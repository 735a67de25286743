<%inherit file="../base.mako"/>
<h1>${t('codes.bulk-issue.title')}</h1>
<form id="bulk-form" class="card" data-endpoint="/codes/batch-issue">
  <label for="csv">${t('codes.bulk-issue.file')}</label>
  <input type="file" id="csv" accept=".csv,text/csv" ${'' if has_sms else 'disabled'}>
  <p class="hint">${t('codes.bulk-issue.format')}</p>
  <label for="start-at">${t('codes.bulk-issue.start-at')}</label>
  <input type="number" id="start-at" min="1" value="1">
  <label for="retry-code">${t('codes.bulk-issue.retry-code')}</label>
  <div class="row">
    <input id="retry-code" maxlength="64" required>
    <button type="button" id="new-retry-code" class="link">${t('codes.bulk-issue.new-retry-code')}</button>
  </div>
  <label class="checkbox"><input type="checkbox" id="remember-retry"> ${t('codes.bulk-issue.remember')}</label>
  % if templates:
  <label for="smsTemplateLabel">${t('codes.issue.sms-template')}</label>
  <select id="smsTemplateLabel">
    <option value="">${t('codes.issue.default-template')}</option>
    % for label in templates:
    <option value="${label}" ${'selected' if membership.default_sms_template_label == label else ''}>${label}</option>
    % endfor
  </select>
  % endif
  <button type="submit" id="bulk-start">${t('codes.bulk-issue.start')}</button>
  <button type="button" id="bulk-cancel" hidden>${t('codes.bulk-issue.cancel')}</button>
</form>
<section class="card" id="bulk-progress-card">
  <progress id="bulk-progress" max="100" value="0"></progress>
  <span id="bulk-percent">0%</span>
  <p id="bulk-status" role="status"></p>
  <p>${t('codes.bulk-issue.issued')} <strong id="bulk-ok">0</strong>
     · ${t('codes.bulk-issue.failed')} <strong id="bulk-failed">0</strong>
     · ${t('codes.bulk-issue.skipped')} <strong id="bulk-skipped">0</strong></p>
  <button type="button" id="bulk-receipt" hidden>${t('codes.bulk-issue.download-receipt')}</button>
  <button type="button" id="bulk-clear" class="link">${t('codes.bulk-issue.clear')}</button>
</section>
<section class="card">
  <h2>${t('codes.bulk-issue.current-batch')}</h2>
  <table id="bulk-batch"><thead><tr><th>${t('codes.issue.phone')}</th><th>${t('codes.issue.test-date')}</th></tr></thead><tbody></tbody></table>
</section>
<section class="card">
  <h2>${t('codes.bulk-issue.successes')}</h2>
  <table id="bulk-successes"><thead><tr><th>#</th><th>${t('codes.issue.phone')}</th><th>${t('codes.issue.test-date')}</th><th>UUID</th></tr></thead><tbody></tbody></table>
  <h2>${t('codes.bulk-issue.errors')}</h2>
  <table id="bulk-errors"><thead><tr><th>#</th><th>${t('codes.issue.phone')}</th><th>${t('codes.issue.test-date')}</th><th>${t('codes.bulk-issue.message')}</th></tr></thead><tbody></tbody></table>
  <p id="bulk-too-many" hidden>${t('codes.bulk-issue.too-many')}</p>
</section>
