<%inherit file="../base.mako"/>
<%def name="table(id, headings)">
<div class="table-responsive">
  <table id="${id}" class="table table-sm table-hover mb-0">
    <thead><tr>
  % for heading in headings:
      <th scope="col">${heading}</th>
  % endfor
    </tr></thead>
    <tbody></tbody>
  </table>
</div>
</%def>
<h1 class="h3 page-title"><i class="bi bi-file-earmark-spreadsheet" aria-hidden="true"></i> ${t('codes.bulk-issue.title')}</h1>
<div class="row g-4">
<div class="col-lg-6">
<form id="bulk-form" class="card" data-endpoint="/codes/batch-issue">
  <div class="card-body">
  <div class="mb-3">
    <label class="form-label" for="csv">${t('codes.bulk-issue.file')}</label>
    <input class="form-control" type="file" aria-describedby="csv-help" id="csv" accept=".csv,text/csv" ${'' if has_sms else 'disabled'}>
    <div class="form-text" id="csv-help">${t('codes.bulk-issue.format')}</div>
  </div>
  <div class="row g-3 mb-3">
    <div class="col-sm-4">
      <label class="form-label" for="start-at">${t('codes.bulk-issue.start-at')}</label>
      <input class="form-control" type="number" id="start-at" min="1" value="1">
    </div>
    <div class="col-sm-8">
      <label class="form-label" for="retry-code">${t('codes.bulk-issue.retry-code')}</label>
      <div class="input-group">
        <input class="form-control font-monospace" id="retry-code" maxlength="64" autocomplete="off" required>
        <button type="button" id="new-retry-code" class="btn btn-outline-secondary" title="${t('codes.bulk-issue.new-retry-code')}"><i class="bi bi-arrow-repeat" aria-hidden="true"></i><span class="visually-hidden">${t('codes.bulk-issue.new-retry-code')}</span></button>
      </div>
    </div>
  </div>
  <div class="form-check mb-3">
    <input class="form-check-input" type="checkbox" id="remember-retry">
    <label class="form-check-label" for="remember-retry">${t('codes.bulk-issue.remember')}</label>
  </div>
  % if templates:
  <div class="mb-3">
    <label class="form-label" for="smsTemplateLabel">${t('codes.issue.sms-template')}</label>
    <select class="form-select" id="smsTemplateLabel">
      <option value="">${t('codes.issue.default-template')}</option>
    % for label in templates:
      <option value="${label}" ${'selected' if membership.default_sms_template_label == label else ''}>${label}</option>
    % endfor
    </select>
  </div>
  % endif
  <div class="d-flex flex-wrap gap-2">
    <button type="submit" id="bulk-start" class="btn btn-primary"><i class="bi bi-upload" aria-hidden="true"></i> ${t('codes.bulk-issue.start')}</button>
    <button type="button" id="bulk-cancel" class="btn btn-outline-danger" hidden>${t('codes.bulk-issue.cancel')}</button>
  </div>
  </div>
</form>
</div>
<div class="col-lg-6">
<section class="card" id="bulk-progress-card">
  <div class="card-header">${t('codes.bulk-issue.current-batch')}</div>
  <div class="card-body">
  <div class="d-flex align-items-center gap-3 mb-2">
    <progress id="bulk-progress" class="bulk-progress" max="100" value="0"></progress>
    <span id="bulk-percent" class="fw-semibold">0%</span>
  </div>
  <p id="bulk-status" class="small text-body-secondary" role="status"></p>
  <div class="d-flex flex-wrap gap-2 mb-3">
    <span class="badge text-bg-success">${t('codes.bulk-issue.issued')} <strong id="bulk-ok">0</strong></span>
    <span class="badge text-bg-danger">${t('codes.bulk-issue.failed')} <strong id="bulk-failed">0</strong></span>
    <span class="badge text-bg-secondary">${t('codes.bulk-issue.skipped')} <strong id="bulk-skipped">0</strong></span>
  </div>
  ${table('bulk-batch', [t('codes.issue.phone'), t('codes.issue.test-date')])}
  <div class="d-flex flex-wrap gap-2 mt-3">
    <button type="button" id="bulk-receipt" class="btn btn-outline-primary btn-sm" hidden><i class="bi bi-download" aria-hidden="true"></i> ${t('codes.bulk-issue.download-receipt')}</button>
    <button type="button" id="bulk-clear" class="btn btn-link btn-sm">${t('codes.bulk-issue.clear')}</button>
  </div>
  </div>
</section>
</div>
<div class="col-12">
<section class="card">
  <div class="card-header">${t('codes.bulk-issue.successes')}</div>
  ${table('bulk-successes', ['#', t('codes.issue.phone'), t('codes.issue.test-date'), 'UUID'])}
</section>
</div>
<div class="col-12">
<section class="card">
  <div class="card-header">${t('codes.bulk-issue.errors')}</div>
  ${table('bulk-errors', ['#', t('codes.issue.phone'), t('codes.issue.test-date'), t('codes.bulk-issue.message')])}
</section>
</div>
</div>
<p id="bulk-too-many" class="alert alert-info mt-3" hidden>${t('codes.bulk-issue.too-many')}</p>
