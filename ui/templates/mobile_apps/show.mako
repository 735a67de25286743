<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="action"/>
<div class="container py-3">
  <nav aria-label="breadcrumb"><ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="/realm/mobile-apps">Mobile apps</a></li>
    <li class="breadcrumb-item active" aria-current="page">${app.name}</li>
  </ol></nav>
  <div class="card">
    <div class="card-header d-flex flex-wrap justify-content-between align-items-center gap-2">
      <h1 class="h4 mb-0">${app.name}</h1>
      % if can(P.MOBILE_APP_WRITE):
      <div class="d-flex flex-wrap gap-2">
        <a class="btn btn-sm btn-outline-primary" href="/realm/mobile-apps/${app.id}/edit" id="edit-mobile-app">Edit</a>
        % if app.deleted_at:
        ${action('/realm/mobile-apps/%d/enable' % app.id, 'PATCH', 'Enable', id='enable-mobile-app')}
        % else:
        ${action('/realm/mobile-apps/%d/disable' % app.id, 'PATCH', 'Disable', css='btn btn-sm btn-outline-danger', confirm='Are you sure you want to disable "%s"?' % app.name, id='disable-mobile-app')}
        % endif
      </div>
      % endif
    </div>
    <div class="card-body">
      <dl class="row mb-0">
        <dt class="col-sm-3">Status</dt><dd class="col-sm-9">${'disabled - will be deleted in a few days' if app.deleted_at else 'active'}</dd>
        <dt class="col-sm-3">OS</dt><dd class="col-sm-9">${os_names.get(app.os, 'unknown')}</dd>
        <dt class="col-sm-3">${'Package name' if app.os == 2 else 'Application ID'}</dt><dd class="col-sm-9 text-break"><code id="app-id">${app.app_id}</code></dd>
        <dt class="col-sm-3">Store URL</dt>
        <dd class="col-sm-9 text-break">
          % if app.url:
          <a href="${app.url}" rel="noopener noreferrer">${app.url}</a>
          % else:
          <span class="text-body-secondary">none</span>
          % endif
        </dd>
        <dt class="col-sm-3">Store redirect</dt><dd class="col-sm-9">${'off' if app.disable_redirect else 'on'}</dd>
        % if app.os == 2:
        <dt class="col-sm-3">SHA-256 fingerprints</dt>
        <dd class="col-sm-9">
          % for sha in app.sha.split('\n'):
          <code class="d-block text-break">${sha}</code>
          % endfor
        </dd>
        <dt class="col-sm-3">Headless</dt><dd class="col-sm-9">${'yes (EN Express, from app sync)' if app.headless else 'no'}</dd>
        % endif
      </dl>
    </div>
  </div>
</div>
