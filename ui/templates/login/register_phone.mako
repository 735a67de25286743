<%inherit file="../base.mako"/>
<h1 class="h3 page-title"><i class="bi bi-shield-lock" aria-hidden="true"></i> ${t('mfa.title')}</h1>
<div class="row g-4">
  <div class="col-lg-7">
    <section class="card h-100">
      <div class="card-header">${t('mfa.add')}</div>
      <div class="card-body">
        <p>${t('mfa.scan')}</p>
        <div class="d-flex flex-column flex-sm-row gap-4">
          <div class="text-center">
            <img src="${qr}" alt="${t('mfa.qr-code')}" class="qr">
            <p class="mt-2 mb-0 text-uuid"><code id="totp-secret">${secret}</code></p>
          </div>
          <form method="post" action="/login/register-phone" id="mfa-form" class="flex-grow-1">
            <input type="hidden" name="csrf_token" value="${csrf}">
            <div class="mb-3">
              <label class="form-label" for="display_name">${t('mfa.display-name')}</label>
              <input class="form-control" id="display_name" name="display_name" required maxlength="100">
            </div>
            <div class="mb-3">
              <label class="form-label" for="code">${t('mfa.code')}</label>
              <input class="form-control font-monospace" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
            </div>
            <button type="submit" id="mfa-submit" class="btn btn-primary">${t('mfa.confirm')}</button>
          </form>
        </div>
      </div>
    </section>
  </div>
  <div class="col-lg-5">
    <section class="card h-100">
      <div class="card-header">${t('mfa.enrolled')}</div>
% if factors:
      <div class="table-responsive">
        <table class="table table-hover align-middle mb-0">
          <thead><tr><th scope="col">${t('mfa.display-name')}</th><th scope="col">${t('mfa.enrolled-at')}</th><th scope="col"><span class="visually-hidden">${t('mfa.delete')}</span></th></tr></thead>
          <tbody>
  % for f in factors:
            <tr>
              <td><i class="bi bi-phone" aria-hidden="true"></i> ${f.display_name}</td>
              <td data-timestamp="${f.created_at.isoformat()}">${fmt.datetime(f.created_at, 'short')} UTC</td>
              <td class="text-end">
                <form method="post" action="/login/register-phone">
                  <input type="hidden" name="csrf_token" value="${csrf}">
                  <input type="hidden" name="_method" value="DELETE">
                  <input type="hidden" name="factor" value="${f.id}">
                  <button type="submit" class="btn btn-outline-danger btn-sm" data-confirm="${t('mfa.confirm-delete')}"><i class="bi bi-trash" aria-hidden="true"></i> ${t('mfa.delete')}</button>
                </form>
              </td>
            </tr>
  % endfor
          </tbody>
        </table>
      </div>
% else:
      <div class="card-body"><p class="text-body-secondary mb-0">${t('mfa.none')}</p></div>
% endif
    </section>
  </div>
</div>
<p class="mt-4 mb-0"><i class="bi bi-key" aria-hidden="true"></i> ${t('mfa.passkey-hint')} <a href="/account#passkeys" id="add-passkey">${t('mfa.passkey-hint-link')}</a></p>
<div class="mt-4">
% if realm and not required:
  <a href="/login/post-authenticate" id="skip-mfa" class="btn btn-link px-0">${t('mfa.continue-without')} <i class="bi bi-arrow-right" aria-hidden="true"></i></a>
% elif not realm:
  <a href="/login/select-realm" class="btn btn-link px-0">${t('mfa.continue')} <i class="bi bi-arrow-right" aria-hidden="true"></i></a>
% endif
</div>
