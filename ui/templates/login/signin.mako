<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <div class="text-center mb-4">
    <img src="/static/icons/icon.svg" alt="" class="auth-logo mb-3">
    <h1 class="h4 mb-1">${t('login.sign-in')}</h1>
    <p class="text-body-secondary small mb-0">${server}</p>
  </div>
% if provider == 'firebase':
  <form method="post" action="/session" id="firebase-form">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <div class="mb-3">
      <label class="form-label" for="idToken">${t('login.id-token')}</label>
      <textarea class="form-control font-monospace" id="idToken" name="idToken" rows="4" required></textarea>
      <div class="form-text">${t('login.firebase-hint')}</div>
    </div>
    <button type="submit" class="btn btn-primary w-100">${t('login.sign-in')}</button>
  </form>
% else:
  <form method="post" action="/session" id="login-form">
    <input type="hidden" name="csrf_token" value="${csrf}">
  % if reauth_email:
    <input type="hidden" name="redir" value="login/register-phone">
    <input type="hidden" name="email" value="${reauth_email}">
    <div class="mb-3">
      <label class="form-label" for="email">${t('login.email')}</label>
      <input class="form-control" id="email" type="email" value="${reauth_email}" disabled>
    </div>
  % else:
    <div class="mb-3">
      <label class="form-label" for="email">${t('login.email')}</label>
      <input class="form-control" id="email" name="email" type="email" autocomplete="username" required autofocus>
    </div>
  % endif
    <div class="mb-4">
      <label class="form-label" for="password">${t('login.password')}</label>
      <input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
    </div>
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('login.refresh-authentication') if reauth_email else t('login.sign-in')}</button>
  </form>
  % if not reauth_email:
  <div class="alert alert-danger d-none mt-3" id="passkey-error" role="alert"></div>
  <form method="post" action="/session" id="passkey-form" class="mt-3" data-optional="true">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="passkey" value="">
    <button type="submit" id="passkey-signin" class="btn btn-outline-secondary w-100"><i class="bi bi-key" aria-hidden="true"></i> ${t('login.passkey-sign-in')}</button>
  </form>
  % endif
  <p class="text-center small mt-3 mb-0"><a href="/login/reset-password">${t('login.forgot-password')}</a></p>
% endif
</div>
</div>
<%block name="scripts"><script src="/static/js/passkeys.js" defer></script></%block>
