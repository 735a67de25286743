<%inherit file="../base.mako"/>
<%
    type_labels = {
        'confirmed': t('codes.issue.type-confirmed'),
        'likely': t('codes.issue.type-likely'),
        'negative': t('codes.issue.type-negative'),
        'user-report': t('codes.status.type-user-report'),
    }
    state_badge = 'text-bg-success' if code.claimed else ('text-bg-primary' if active else 'text-bg-secondary')
%>
<nav aria-label="breadcrumb">
  <ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="/codes/status">${t('codes.status.title')}</a></li>
    <li class="breadcrumb-item active text-uuid" aria-current="page">${code.uuid}</li>
  </ol>
</nav>
<h1 class="h3 page-title"><i class="bi bi-upc-scan" aria-hidden="true"></i> ${t('codes.status.title')}</h1>
<div class="row g-4">
<div class="col-lg-8">
<section class="card">
  <div class="card-body">
  <dl class="row details-list mb-0" id="code-details">
    <dt class="col-sm-4">UUID</dt><dd class="col-sm-8 text-uuid" id="code-uuid">${code.uuid}</dd>
  % if code.issuing_app_id:
    <dt class="col-sm-4">${t('codes.status.issuing-app')}</dt><dd class="col-sm-8">${issuing_app or t('codes.status.unknown-app')}</dd>
  % else:
    <dt class="col-sm-4">${t('codes.status.issuing-user')}</dt><dd class="col-sm-8">${issuing_user or t('codes.status.unknown-user')}</dd>
  % endif
    <dt class="col-sm-4">${t('codes.status.test-type')}</dt><dd class="col-sm-8">${type_labels.get(code.test_type, code.test_type)}</dd>
    <dt class="col-sm-4">${t('codes.status.status')}</dt>
    <dd class="col-sm-8"><span class="badge ${state_badge}" id="code-state">${t('codes.status.claimed') if code.claimed else (t('codes.status.not-claimed') if active else t('codes.status.expired'))}</span></dd>
  % if active:
    <dt class="col-sm-4">${t('codes.status.expires')}</dt>
    <dd class="col-sm-8"><span class="countdown" data-expires="${int(code.expires_at.timestamp())}"></span></dd>
    % if sms_later:
    <dt class="col-sm-4">${t('codes.status.sms-expires')}</dt>
    <dd class="col-sm-8"><span class="countdown" data-expires="${int(code.long_expires_at.timestamp())}"></span></dd>
    % endif
  % endif
  </dl>
  </div>
% if active and can(P.CODE_EXPIRE):
  <div class="card-footer bg-transparent">
  <form method="post" action="/codes/${code.uuid}/expire">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="_method" value="PATCH">
    <button type="submit" class="btn btn-outline-danger" id="expire-code" data-confirm="${t('codes.status.confirm-expire')}"><i class="bi bi-x-circle" aria-hidden="true"></i> ${t('codes.status.expire')}</button>
  </form>
  </div>
% endif
</section>
<p class="mt-3"><a href="/codes/status"><i class="bi bi-arrow-left" aria-hidden="true"></i> ${t('codes.status.back')}</a></p>
</div>
</div>
