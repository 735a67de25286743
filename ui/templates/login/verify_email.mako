<%inherit file="../base.mako"/>
<section class="card narrow">
<h1>${t('account.verify-email')}</h1>
<p>${t('account.verify-email-required') if realm else t('account.verify-email-generic')}</p>
<form method="post" action="/login/manage-account?mode=verifyEmail">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <button type="submit">${t('account.verify-email-button')}</button>
</form>
% if not required:
<p><a href="/login/post-authenticate">${t('account.continue-without-verifying')}</a></p>
% endif
</section>
