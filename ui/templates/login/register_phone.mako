<%inherit file="../base.mako"/>
<h1>${t('mfa.title')}</h1>
<section class="card">
<h2>${t('mfa.enrolled')}</h2>
% if factors:
<table>
  <tr><th>${t('mfa.display-name')}</th><th>${t('mfa.enrolled-at')}</th><th></th></tr>
  % for f in factors:
  <tr>
    <td>${f.display_name}</td>
    <td data-timestamp="${f.created_at.isoformat()}">${f.created_at.strftime('%Y-%m-%d %H:%M UTC')}</td>
    <td>
      <form method="post" action="/login/register-phone" data-confirm="${t('mfa.confirm-delete')}">
        <input type="hidden" name="csrf_token" value="${csrf}">
        <input type="hidden" name="_method" value="DELETE">
        <input type="hidden" name="factor" value="${f.id}">
        <button type="submit" class="danger">${t('mfa.delete')}</button>
      </form>
    </td>
  </tr>
  % endfor
</table>
% else:
<p>${t('mfa.none')}</p>
% endif
</section>
<section class="card">
<h2>${t('mfa.add')}</h2>
<p>${t('mfa.scan')}</p>
<img src="${qr}" alt="QR code" class="qr">
<p><code id="totp-secret">${secret}</code></p>
<form method="post" action="/login/register-phone" id="mfa-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <label for="display_name">${t('mfa.display-name')}</label>
  <input id="display_name" name="display_name" required maxlength="100">
  <label for="code">${t('mfa.code')}</label>
  <input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required>
  <button type="submit" id="mfa-submit">${t('mfa.confirm')}</button>
</form>
</section>
% if realm and not required:
<p><a href="/login/post-authenticate" id="skip-mfa">${t('mfa.continue-without')}</a></p>
% elif not realm:
<p><a href="/login/select-realm">${t('mfa.continue')}</a></p>
% endif
