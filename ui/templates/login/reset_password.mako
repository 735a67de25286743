<%inherit file="../base.mako"/>
<section class="card narrow">
<h1>${t('login.reset-password')}</h1>
<form method="post" action="/login/reset-password">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <label for="email">${t('login.email')}</label>
  <input id="email" name="email" type="email" required>
  <button type="submit">${t('login.send-reset')}</button>
</form>
<p><a href="/">${t('login.back-to-sign-in')}</a></p>
</section>
