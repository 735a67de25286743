<%inherit file="../base.mako"/>
<section class="card narrow">
<h1>${t('account.change-password')}</h1>
<form method="post" action="/login/change-password">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <label for="email">${t('login.email')}</label>
  <input id="email" type="email" value="${user.email}" readonly>
  <label for="current_password">${t('account.current-password')}</label>
  <input id="current_password" name="current_password" type="password" required autocomplete="current-password">
  <label for="password">${t('login.new-password')}</label>
  <input id="password" name="password" type="password" minlength="${min_length}" required autocomplete="new-password">
  <label for="password_confirm">${t('account.confirm-password')}</label>
  <input id="password_confirm" name="password_confirm" type="password" required autocomplete="new-password">
  <p class="hint">${t('password.requirements', min_length)}</p>
  <button type="submit">${t('login.save-password')}</button>
</form>
</section>
