<%inherit file="../base.mako"/>
<h1>${t('account.title')}</h1>
<dl class="card">
  <dt>${t('account.name')}</dt><dd>${user.name}</dd>
  <dt>${t('login.email')}</dt><dd>${user.email}</dd>
  <dt>${t('account.email-verified')}</dt>
  <dd>${'✓' if user.email_verified_at else '✗'}
  % if not user.email_verified_at:
    <a href="/login/manage-account?mode=verifyEmail">${t('account.verify')}</a>
  % endif
  </dd>
  <dt>${t('account.mfa-enabled')}</dt>
  <dd>${'✓' if factors else '✗'} <a href="/login/register-phone">${t('account.manage-mfa')}</a></dd>
  <dt>${t('account.password-changed')}</dt>
  <dd>${t('account.ago', password_age)} <a href="/login/change-password">${t('account.change-password')}</a></dd>
</dl>
<h2>${t('account.memberships')}</h2>
<ul>
% for m in memberships:
  <li>${m.realm_name}</li>
% endfor
</ul>
