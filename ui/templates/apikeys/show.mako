<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="action"/>
<div class="container py-3">
  <nav aria-label="breadcrumb"><ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="/realm/apikeys">API keys</a></li>
    <li class="breadcrumb-item active" aria-current="page">${app.name}</li>
  </ol></nav>
  % if plaintext:
  <div class="alert alert-warning" role="alert">
    <p class="mb-2"><strong>Save this key now.</strong> It is shown only this once and cannot be recovered.</p>
    <label for="api-key" class="form-label visually-hidden">API key</label>
    <textarea class="form-control font-monospace" id="api-key" rows="3" readonly>${plaintext}</textarea>
  </div>
  % endif
  <div class="card">
    <div class="card-header d-flex flex-wrap justify-content-between align-items-center gap-2">
      <h1 class="h4 mb-0">${app.name}</h1>
      % if can(P.API_KEY_WRITE):
      <div class="d-flex flex-wrap gap-2">
        <a class="btn btn-sm btn-outline-primary" href="/realm/apikeys/${app.id}/edit" id="edit-apikey">Edit</a>
        % if app.deleted_at:
        ${action('/realm/apikeys/%d/enable' % app.id, 'PATCH', 'Enable', id='enable-apikey')}
        % else:
        ${action('/realm/apikeys/%d/disable' % app.id, 'PATCH', 'Disable', css='btn btn-sm btn-outline-danger', confirm='Are you sure you want to disable "%s"? Requests with it will be refused at once.' % app.name, id='disable-apikey')}
        % endif
      </div>
      % endif
    </div>
    <div class="card-body">
      <dl class="row mb-0">
        <dt class="col-sm-3">Status</dt>
        <dd class="col-sm-9" id="apikey-status">${'disabled - will be deleted in a few days' if app.deleted_at else 'active'}</dd>
        <dt class="col-sm-3">Type</dt><dd class="col-sm-9">${types[app.api_key_type][0]} &mdash; ${types[app.api_key_type][1]}</dd>
        <dt class="col-sm-3">Preview</dt><dd class="col-sm-9"><code>${app.api_key_preview}</code></dd>
        <dt class="col-sm-3">Created</dt><dd class="col-sm-9">${app.created_at.strftime('%Y-%m-%d %H:%M UTC')}</dd>
        <dt class="col-sm-3">Last used</dt>
        <dd class="col-sm-9">${app.last_used_at.strftime('%Y-%m-%d %H:%M UTC') + ' (15-minute accuracy)' if app.last_used_at else 'never'}</dd>
      </dl>
    </div>
  </div>
</div>
