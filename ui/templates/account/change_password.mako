<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <h1 class="h4 mb-3">${t('account.change-password')}</h1>
  <form method="post" action="/login/change-password">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <div class="mb-3">
      <label class="form-label" for="email">${t('login.email')}</label>
      <input class="form-control" id="email" type="email" value="${user.email}" autocomplete="username" readonly>
    </div>
    <div class="mb-3">
      <label class="form-label" for="current_password">${t('account.current-password')}</label>
      <input class="form-control" id="current_password" name="current_password" type="password" required autocomplete="current-password">
    </div>
    <div class="mb-3">
      <label class="form-label" for="password">${t('login.new-password')}</label>
      <input class="form-control" id="password" name="password" type="password" minlength="${min_length}" required autocomplete="new-password" aria-describedby="password-help">
      <div class="form-text" id="password-help">${t('password.requirements', min_length)}</div>
    </div>
    <div class="mb-4">
      <label class="form-label" for="password_confirm">${t('account.confirm-password')}</label>
      <input class="form-control" id="password_confirm" name="password_confirm" type="password" required autocomplete="new-password">
    </div>
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('login.save-password')}</button>
  </form>
</div>
</div>
