<%inherit file="../base.mako"/>
<h1 class="h3 page-title"><i class="bi bi-buildings" aria-hidden="true"></i> ${t('login.select-realm')}</h1>
% if not memberships:
<div class="alert alert-info">${t('login.no-memberships')}</div>
% endif
<div class="row row-cols-1 row-cols-sm-2 row-cols-lg-3 g-3">
% for m in memberships:
  <div class="col">
    <form method="post" action="/login/select-realm" class="card h-100">
      <input type="hidden" name="csrf_token" value="${csrf}">
      <input type="hidden" name="realm" value="${m.realm_id}">
      <div class="card-body d-flex flex-column">
        <h2 class="h5 card-title mb-1">${m.realm_name}</h2>
    % if m.region_code:
        <p class="text-body-secondary small mb-3">${m.region_code}</p>
    % endif
        <button type="submit" class="btn btn-primary mt-auto align-self-start">${t('login.select')} <i class="bi bi-arrow-right" aria-hidden="true"></i></button>
      </div>
    </form>
  </div>
% endfor
% if user.system_admin:
  <div class="col">
    <div class="card h-100 border-dashed">
      <div class="card-body d-flex flex-column">
        <h2 class="h5 card-title mb-3"><i class="bi bi-shield-lock" aria-hidden="true"></i> ${t('nav.system-admin')}</h2>
        <a class="btn btn-outline-primary mt-auto align-self-start" href="/admin">${t('login.go-to-system-admin')}</a>
      </div>
    </div>
  </div>
% endif
</div>
