<%inherit file="../base.mako"/>
<%namespace name="kl" file="_keylist.mako"/>
<div class="container py-3">
<h1 class="h3 mb-3">SMS signing keys</h1>
<div class="card mb-3" id="sms-status"><div class="card-body">
  <h2 class="h5">Authenticated SMS
    % if r.use_authenticated_sms:
    <span class="badge text-bg-success" id="auth-sms-state">enabled</span>
    % else:
    <span class="badge text-bg-secondary" id="auth-sms-state">disabled</span>
    % endif
  </h2>
  <p>When enabled, every SMS carries a signature made with the active key, so apps can tell genuine messages apart.</p>
  % if active:
  <p>Active key ID <code id="active-kid">${active.kid}</code></p>
  <pre class="bg-light border rounded p-2 small"><code>${active.pem}</code></pre>
  % endif
  % if r.use_authenticated_sms:
  <form method="post" action="/realm/sms-keys/disable">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="_method" value="PUT">
    <button type="submit" class="btn btn-outline-danger" id="disable-auth-sms" data-confirm="Are you sure you want to disable authenticated SMS?">Disable authenticated SMS</button>
  </form>
  % elif active:
  <form method="post" action="/realm/sms-keys/enable">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="_method" value="PUT">
    <button type="submit" class="btn btn-primary" id="enable-auth-sms">Enable authenticated SMS</button>
  </form>
  % endif
</div></div>
<div class="card"><div class="card-body">
  <h2 class="h5">Keys</h2>
  ${kl.key_table(keys, '/realm/sms-keys')}
</div></div>
</div>
