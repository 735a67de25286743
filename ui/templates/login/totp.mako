<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <div class="text-center mb-4">
    <i class="bi bi-shield-lock display-6 text-primary" aria-hidden="true"></i>
    <h1 class="h4 mt-2 mb-0">${t('mfa.verify-title')}</h1>
  </div>
  <form method="post" action="/session" id="totp-form">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="redir" value="${redir}">
    <div class="mb-4">
      <label class="form-label" for="totp">${t('mfa.code')}</label>
      <input class="form-control form-control-lg text-center font-monospace" id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
    </div>
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('mfa.verify')}</button>
  </form>
</div>
</div>
