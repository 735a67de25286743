<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <h1 class="h4 mb-3">${t('login.choose-password')}</h1>
% if problem:
  <div class="alert alert-danger flash flash-error" role="alert">${problem}</div>
  <a class="btn btn-outline-primary w-100" href="/login/reset-password">${t('login.request-new-reset')}</a>
% else:
  <form method="post" action="/login/manage-account?mode=resetPassword&amp;oobCode=${token | u}">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <div class="mb-3">
      <label class="form-label" for="email">${t('login.email')}</label>
      <input class="form-control" id="email" name="email" type="email" value="${email}" readonly>
    </div>
    <div class="mb-4">
      <label class="form-label" for="password">${t('login.new-password')}</label>
      <input class="form-control" id="password" name="password" type="password" minlength="${min_length}" required autocomplete="new-password" aria-describedby="password-help">
      <div class="form-text" id="password-help">${t('password.requirements', min_length)}</div>
    </div>
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('login.save-password')}</button>
  </form>
% endif
</div>
</div>
