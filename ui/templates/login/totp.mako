<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <div class="text-center mb-4">
    <i class="bi bi-shield-lock display-6 text-primary" aria-hidden="true"></i>
    <h1 class="h4 mt-2 mb-0">${t('mfa.verify-title') if totp else t('mfa.passkey-confirm-title')}</h1>
  </div>
% if totp:
  <form method="post" action="/session" id="totp-form">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="redir" value="${redir}">
    <div class="mb-4">
      <label class="form-label" for="totp">${t('mfa.code')}</label>
      <input class="form-control form-control-lg text-center font-monospace" id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
    </div>
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('mfa.verify')}</button>
  </form>
% endif
% if passkey:
  <div class="alert alert-danger d-none mt-3" id="passkey-error" role="alert"></div>
  <form method="post" action="/session" id="passkey-form" class="${'mt-3' if totp else ''}">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="redir" value="${redir}">
    <input type="hidden" name="passkey" value="">
    <button type="submit" id="passkey-signin" class="btn ${'btn-outline-primary' if totp else 'btn-primary'} w-100"><i class="bi bi-key" aria-hidden="true"></i> ${t('mfa.use-passkey')}</button>
  </form>
% endif
</div>
</div>
<%block name="scripts"><script src="/static/js/passkeys.js" defer></script></%block>
