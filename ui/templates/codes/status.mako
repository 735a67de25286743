<%inherit file="../base.mako"/>
<h1 class="h3 page-title"><i class="bi bi-search" aria-hidden="true"></i> ${t('codes.status.title')}</h1>
<div class="row g-4">
<div class="col-lg-7">
<form id="status-form" class="card" method="get" action="/codes/status">
  <div class="card-body">
  <label class="form-label" for="uuid">UUID</label>
  <div class="row g-2">
    <div class="col-12 col-md">
      <input class="form-control font-monospace ${'is-invalid invalid' if uuid_error else ''}" id="uuid" name="uuid" placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" maxlength="36" autocomplete="off" required aria-describedby="uuid-error">
  % if uuid_error:
      <div class="invalid-feedback field-error" id="uuid-error">${uuid_error}</div>
  % endif
    </div>
    <div class="col-12 col-md-auto">
      <button type="submit" id="status-submit" class="btn btn-primary"><i class="bi bi-search" aria-hidden="true"></i> ${t('codes.status.check')}</button>
    </div>
  </div>
  </div>
</form>
</div>
<div class="col-lg-5">
<section class="card">
  <div class="card-header">${t('codes.status.recent')}</div>
% if recent:
  <ul id="recent-codes" class="list-group list-group-flush">
  % for r in recent:
    <li class="list-group-item">
      <a href="/codes/${r.uuid}" class="text-uuid">${r.uuid}</a>
      <div class="small text-body-secondary" data-timestamp="${r.created_at.isoformat()}">${fmt.datetime(r.created_at, 'short')} UTC</div>
    </li>
  % endfor
  </ul>
% else:
  <div class="card-body"><p class="text-body-secondary mb-0">${t('codes.status.none')}</p></div>
% endif
</section>
</div>
</div>
