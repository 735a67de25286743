<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<%namespace file="../_pager.mako" import="pager"/>
<div class="container">
${tabs('mobile-apps')}
<h1 class="h3">Mobile apps</h1>
<form method="get" action="/admin/mobile-apps" class="d-flex gap-2 mb-3" role="search">
  <input class="form-control" type="search" name="q" value="${query}" placeholder="App or realm name" aria-label="Search apps">
  <button class="btn btn-outline-secondary" type="submit">Search</button>
</form>
<div class="table-responsive">
<table class="table table-sm table-hover" id="apps">
  <thead><tr><th>Realm</th><th>Name</th><th>OS</th><th>App ID</th></tr></thead>
  <tbody>
  % for found in apps:
    <tr>
      <td><a href="/admin/realms/${found.app.realm_id}/edit">${found.realm_name}</a></td>
      <td><a href="/admin/mobile-apps/${found.app.id}">${found.app.name}</a></td>
      <td>${{1: 'iOS', 2: 'Android'}.get(found.app.os, 'Unknown')}</td>
      <td class="text-break">${found.app.app_id}</td>
    </tr>
  % endfor
  % if not apps:
    <tr><td colspan="4" class="text-body-secondary">No apps match.</td></tr>
  % endif
  </tbody>
</table>
</div>
${pager(page, page_url)}
</div>
