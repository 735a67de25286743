<%inherit file="../base.mako"/>
<section class="card narrow">
<h1>${t('login.choose-password')}</h1>
% if problem:
<p class="flash flash-error">${problem}</p>
<p><a href="/login/reset-password">${t('login.request-new-reset')}</a></p>
% else:
<form method="post" action="/login/manage-account?mode=resetPassword&amp;oobCode=${token | u}">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <label for="email">${t('login.email')}</label>
  <input id="email" name="email" type="email" value="${email}" readonly>
  <label for="password">${t('login.new-password')}</label>
  <input id="password" name="password" type="password" minlength="${min_length}" required autocomplete="new-password">
  <p class="hint">${t('password.requirements', min_length)}</p>
  <button type="submit">${t('login.save-password')}</button>
</form>
% endif
</section>
