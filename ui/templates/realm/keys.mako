<%inherit file="../base.mako"/>
<%namespace name="kl" file="_keylist.mako"/>
<% upgraded = bool(r.use_realm_certificate_key) %>
<div class="container py-3">
<h1 class="h3 mb-3">Certificate signing keys</h1>
% if not upgraded:
<div class="card mb-3" id="system-key"><div class="card-body">
  <h2 class="h5">System signing key</h2>
  <p>This realm's certificates are signed with the system key.</p>
  <dl class="row mb-2">
    <dt class="col-sm-3">Issuer</dt><dd class="col-sm-9"><code>${tokens.certificate_issuer}</code></dd>
    <dt class="col-sm-3">Audience</dt><dd class="col-sm-9"><code>${tokens.certificate_audience}</code></dd>
    <dt class="col-sm-3">Duration</dt><dd class="col-sm-9"><code>${system_duration}</code></dd>
    % if system:
    <dt class="col-sm-3">Key ID</dt><dd class="col-sm-9"><code>${system[0]}</code></dd>
    % endif
  </dl>
  % if system:
  <pre class="bg-light border rounded p-2 small mb-0"><code>${system[1]}</code></pre>
  % else:
  <div class="alert alert-warning mb-0">The system key could not be loaded.</div>
  % endif
</div></div>
% endif

<form method="post" action="/realm/keys/save" class="card mb-3"><div class="card-body">
  <h2 class="h5">Realm certificate settings</h2>
  <input type="hidden" name="csrf_token" value="${csrf}">
  <div class="row g-2 mb-3">
    <div class="col-md-5">
      <label class="form-label" for="certificate_issuer">Issuer</label>
      <input class="form-control" id="certificate_issuer" name="certificate_issuer" maxlength="150" value="${r.certificate_issuer or ''}" ${'readonly' if upgraded else ''}>
    </div>
    <div class="col-md-5">
      <label class="form-label" for="certificate_audience">Audience</label>
      <input class="form-control" id="certificate_audience" name="certificate_audience" maxlength="150" value="${r.certificate_audience or ''}" ${'readonly' if upgraded else ''}>
    </div>
    <div class="col-md-2">
      <label class="form-label" for="certificate_duration">Duration</label>
      <input class="form-control" id="certificate_duration" name="certificate_duration" value="${duration}">
    </div>
  </div>
  <button type="submit" class="btn btn-primary" id="save-certificate">Save certificate settings</button>
</div></form>

% if upgraded:
<div class="card mb-3" id="realm-key"><div class="card-body">
  <h2 class="h5">Realm key in use <span class="badge text-bg-success">upgraded</span></h2>
  % if active:
  <p>Active key ID <code id="active-kid">${active.kid}</code>. Public keys: <a href="/jwks/${r.id}">/jwks/${r.id}</a></p>
  <pre class="bg-light border rounded p-2 small mb-0"><code>${active.pem}</code></pre>
  % else:
  <div class="alert alert-warning mb-0">No active key: certificates cannot be signed.</div>
  % endif
</div></div>
% else:
<div class="card mb-3" id="upgrade"><div class="card-body">
  <h2 class="h5">Use realm specific signing keys</h2>
  % if r.certificate_issuer and r.certificate_audience and active:
  <p>Switching to realm keys is permanent; the issuer and audience can no longer change afterwards.</p>
  <form method="post" action="/realm/keys/upgrade">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <button type="submit" class="btn btn-warning" id="upgrade-keys" data-confirm="Are you sure you want to switch to realm specific keys? This cannot be undone.">Upgrade to realm keys</button>
  </form>
  % else:
  <p class="mb-0 text-muted">Configure the issuer and audience and create a key first.</p>
  % endif
</div></div>
% endif

<div class="card mb-3"><div class="card-body">
  <div class="d-flex flex-wrap justify-content-between align-items-center mb-2">
    <h2 class="h5 mb-0">Realm keys</h2>
    <form method="post" action="/realm/keys/${'manual' if r.auto_rotate_certificate_key else 'automatic'}">
      <input type="hidden" name="csrf_token" value="${csrf}">
      <span class="me-2 small">Rotation: <strong id="rotation-mode">${'automatic' if r.auto_rotate_certificate_key else 'manual'}</strong></span>
      <button type="submit" class="btn btn-sm btn-outline-secondary" id="toggle-rotation">Switch to ${'manual' if r.auto_rotate_certificate_key else 'automatic'} rotation</button>
    </form>
  </div>
  ${kl.key_table(keys, '/realm/keys', manual=not r.auto_rotate_certificate_key)}
</div></div>
</div>
