<%inherit file="../base.mako"/>
<div class="card auth-card">
<div class="card-body">
  <div class="text-center mb-3">
    <i class="bi bi-envelope-check display-6 text-primary" aria-hidden="true"></i>
    <h1 class="h4 mt-2 mb-0">${t('account.verify-email')}</h1>
  </div>
  <p>${t('account.verify-email-required') if realm else t('account.verify-email-generic')}</p>
  <form method="post" action="/login/manage-account?mode=verifyEmail">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <button type="submit" id="submit" class="btn btn-primary w-100">${t('account.verify-email-button')}</button>
  </form>
% if not required:
  <p class="text-center small mt-3 mb-0"><a href="/login/post-authenticate">${t('account.continue-without-verifying')}</a></p>
% endif
</div>
</div>
