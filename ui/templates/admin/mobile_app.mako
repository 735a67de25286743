<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs, yes"/>
<div class="container">
${tabs('mobile-apps')}
<h1 class="h3">${found.app.name}</h1>
<div class="card card-body">
  <dl class="row mb-0">
    <dt class="col-sm-4">Realm</dt><dd class="col-sm-8"><a href="/admin/realms/${found.app.realm_id}/edit">${found.realm_name}</a></dd>
    <dt class="col-sm-4">OS</dt><dd class="col-sm-8">${{1: 'iOS', 2: 'Android'}.get(found.app.os, 'Unknown')}</dd>
    <dt class="col-sm-4">App ID</dt><dd class="col-sm-8 text-break">${found.app.app_id}</dd>
    <dt class="col-sm-4">Store URL</dt><dd class="col-sm-8 text-break">${found.app.url or ''}</dd>
    <dt class="col-sm-4">Fingerprints</dt><dd class="col-sm-8 text-break"><code>${found.app.sha}</code></dd>
    <dt class="col-sm-4">Headless</dt><dd class="col-sm-8">${yes(found.app.headless)}</dd>
    <dt class="col-sm-4">Redirect disabled</dt><dd class="col-sm-8">${yes(found.app.disable_redirect)}</dd>
  </dl>
</div>
<p class="mt-3"><a href="/admin/mobile-apps">Back to all apps</a></p>
</div>
