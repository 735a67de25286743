<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('info')}
<h1 class="h3">Info</h1>
<div class="card card-body mb-3">
  <dl class="row mb-0">
    <dt class="col-sm-3">Version</dt><dd class="col-sm-9" id="version">${version}</dd>
    <dt class="col-sm-3">Build ID</dt><dd class="col-sm-9">${ops.build_id or '(not set)'}</dd>
    <dt class="col-sm-3">Build tag</dt><dd class="col-sm-9">${ops.build_tag or '(not set)'}</dd>
  </dl>
</div>
<h2 class="h5">Token signing keys</h2>
<div class="table-responsive">
<table class="table table-sm" id="token-keys">
  <thead><tr><th>Key ID (kid)</th><th>Key version</th><th>Created</th><th></th></tr></thead>
  <tbody>
  % for k in token_keys:
    <tr><td><code>${k.uuid}</code></td><td class="text-break">${k.key_version_id}</td><td>${k.created_at.strftime('%Y-%m-%d %H:%M')}</td><td>${'active' if k.is_active else ''}</td></tr>
  % endfor
  </tbody>
</table>
</div>
<h2 class="h5">Secrets</h2>
% for kind, versions in secrets.items():
<h3 class="h6 mt-2"><code>${kind}</code></h3>
<div class="table-responsive">
<table class="table table-sm">
  <tbody>
  % for s in versions:
    <tr><td class="text-break">${s.reference}</td><td>${s.created_at.strftime('%Y-%m-%d %H:%M')}</td><td>${'active' if s.active else ''}</td></tr>
  % endfor
  </tbody>
</table>
</div>
% endfor
<h2 class="h5 mt-3">Settings</h2>
<div class="table-responsive">
<table class="table table-sm" id="settings">
  <tbody>
  % for name, value in summary:
    <tr><td><code>${name}</code></td><td class="text-break">${value}</td></tr>
  % endfor
  </tbody>
</table>
</div>
</div>
