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
            <span class="badge ${'text-bg-success' if factors or passkeys else 'text-bg-secondary'}">${'✓' if factors or passkeys else '✗'}</span>
            <a href="/login/register-phone" class="ms-2">${t('account.manage-mfa')}</a>
          </dd>
          <dt class="col-sm-4">${t('account.password-changed')}</dt>
          <dd class="col-sm-8 mb-0">${t('account.ago', password_age)}
            <a href="/login/change-password" class="ms-2">${t('account.change-password')}</a></dd>
        </dl>
      </div>
    </section>
    <section class="card mt-4" id="passkeys">
      <div class="card-header d-flex justify-content-between align-items-center">
        <span><i class="bi bi-key" aria-hidden="true"></i> ${t('mfa.passkeys')}</span>
        <span class="badge text-bg-light border">${len(passkeys)}</span>
      </div>
% if passkeys:
      <div class="table-responsive">
      <table class="table table-sm table-hover mb-0" id="passkey-list">
        <thead><tr><th scope="col">${t('account.name')}</th><th scope="col">${t('mfa.enrolled-at')}</th><th scope="col">${t('mfa.passkey-last-used')}</th><th scope="col"><span class="visually-hidden">${t('mfa.delete')}</span></th></tr></thead>
        <tbody>
  % for key in passkeys:
          <tr>
            <td>${key.friendly_name}</td>
            <td>${fmt.datetime(key.created_at, 'short')}</td>
            <td>${fmt.datetime(key.last_used_at, 'short') if key.last_used_at else t('mfa.passkey-never')}</td>
            <td class="text-end">
              <form method="post" action="/account/passkeys/${key.id}" class="d-inline">
                <input type="hidden" name="csrf_token" value="${csrf}">
                <input type="hidden" name="_method" value="DELETE">
                <button type="submit" class="btn btn-sm btn-outline-danger" data-confirm="${t('mfa.passkey-confirm-remove', key.friendly_name)}">${t('mfa.delete')}</button>
              </form>
            </td>
          </tr>
  % endfor
        </tbody>
      </table>
      </div>
% endif
      <div class="card-body">
        <p class="text-body-secondary small">${t('mfa.passkey-explain')}</p>
        <div class="alert alert-danger d-none" id="passkey-error" role="alert"></div>
% if fresh:
        <form method="post" action="/account/passkeys" id="passkey-add" class="row g-2 align-items-end">
          <input type="hidden" name="csrf_token" value="${csrf}">
          <input type="hidden" name="credential" value="">
          <div class="col-sm-8">
            <label class="form-label" for="passkey-name">${t('mfa.passkey-name')}</label>
            <input class="form-control" id="passkey-name" name="name" maxlength="100" required placeholder="${t('mfa.passkey-name-example')}">
          </div>
          <div class="col-sm-4">
            <button type="submit" class="btn btn-primary w-100" id="passkey-add-button"><i class="bi bi-plus-lg" aria-hidden="true"></i> ${t('mfa.passkey-add')}</button>
          </div>
        </form>
% else:
        <a class="btn btn-outline-primary" href="/login?redir=login/register-phone">${t('mfa.passkey-sign-in-again')}</a>
% endif
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
<%block name="scripts"><script src="/static/js/passkeys.js" defer></script></%block>
