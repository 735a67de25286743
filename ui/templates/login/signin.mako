<%inherit file="../base.mako"/>
<section class="card narrow">
<h1>${t('login.sign-in')}</h1>
% if provider == 'firebase':
<form method="post" action="/session" id="firebase-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <label for="idToken">${t('login.id-token')}</label>
  <textarea id="idToken" name="idToken" required></textarea>
  <p class="hint">${t('login.firebase-hint')}</p>
  <button type="submit">${t('login.sign-in')}</button>
</form>
% else:
<form method="post" action="/session" id="login-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  % if reauth_email:
  <input type="hidden" name="redir" value="login/register-phone">
  <input type="hidden" name="email" value="${reauth_email}">
  <label for="email">${t('login.email')}</label>
  <input id="email" type="email" value="${reauth_email}" disabled>
  % else:
  <label for="email">${t('login.email')}</label>
  <input id="email" name="email" type="email" autocomplete="username" required autofocus>
  % endif
  <label for="password">${t('login.password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" id="submit">${t('login.refresh-authentication') if reauth_email else t('login.sign-in')}</button>
</form>
<p><a href="/login/reset-password">${t('login.forgot-password')}</a></p>
% endif
</section>
