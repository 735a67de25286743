<%inherit file="../base.mako"/>
<h1 class="h3 page-title"><i class="bi bi-person-circle" aria-hidden="true"></i> ${t('account.title')}</h1>
<div class="row g-4">
  <div class="col-lg-8">
    <section class="card">
      <div class="card-body">
        <dl class="row details-list mb-0">
          <dt class="col-sm-4">${t('account.name')}</dt><dd class="col-sm-8">${user.name}</dd>
          <dt class="col-sm-4">${t('login.email')}</dt><dd class="col-sm-8">${user.email}</dd>
          <dt class="col-sm-4">${t('account.email-verified')}</dt>
          <dd class="col-sm-8">
% if user.email_verified_at:
            <span class="badge text-bg-success">✓</span>
% else:
            <span class="badge text-bg-secondary">✗</span>
            <a href="/login/manage-account?mode=verifyEmail" class="ms-2">${t('account.verify')}</a>
% endif
          </dd>
          <dt class="col-sm-4">${t('account.mfa-enabled')}</dt>
          <dd class="col-sm-8">
            <span class="badge ${'text-bg-success' if factors else 'text-bg-secondary'}">${'✓' if factors else '✗'}</span>
            <a href="/login/register-phone" class="ms-2">${t('account.manage-mfa')}</a>
          </dd>
          <dt class="col-sm-4">${t('account.password-changed')}</dt>
          <dd class="col-sm-8 mb-0">${t('account.ago', password_age)}
            <a href="/login/change-password" class="ms-2">${t('account.change-password')}</a></dd>
        </dl>
      </div>
    </section>
  </div>
  <div class="col-lg-4">
    <section class="card">
      <div class="card-header">${t('account.memberships')}</div>
      <ul class="list-group list-group-flush">
% for m in memberships:
        <li class="list-group-item d-flex justify-content-between align-items-center">${m.realm_name}
  % if m.region_code:
          <span class="badge text-bg-light border">${m.region_code}</span>
  % endif
        </li>
% endfor
      </ul>
    </section>
  </div>
</div>
