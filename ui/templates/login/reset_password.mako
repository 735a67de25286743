<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <h1 class="h4 mb-3">${t('login.reset-password')}</h1>
  <form method="post" action="/login/reset-password">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <div class="mb-4">
      <label class="form-label" for="email">${t('login.email')}</label>
      <input class="form-control" id="email" name="email" type="email" autocomplete="username" required autofocus>
    </div>
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('login.send-reset')}</button>
  </form>
  <p class="text-center small mt-3 mb-0"><a href="/"><i class="bi bi-arrow-left" aria-hidden="true"></i> ${t('login.back-to-sign-in')}</a></p>
</div>
</div>
