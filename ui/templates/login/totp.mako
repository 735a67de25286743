<%inherit file="../base.mako"/>
<section class="card narrow">
<h1>${t('mfa.verify-title')}</h1>
<form method="post" action="/session" id="totp-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <input type="hidden" name="redir" value="${redir}">
  <label for="totp">${t('mfa.code')}</label>
  <input id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
  <button type="submit" id="submit">${t('mfa.verify')}</button>
</form>
</section>
