<%inherit file="../base.mako"/>
<%namespace file="../_pager.mako" import="pager"/>
<%namespace file="../_people.mako" import="search, action"/>
<div class="container py-3">
  <div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
    <h1 class="h3 mb-0">Mobile apps</h1>
    % if can(P.MOBILE_APP_WRITE):
    <a class="btn btn-primary btn-sm" href="/realm/mobile-apps/new" id="new-mobile-app">New mobile app</a>
    % endif
  </div>
  ${search('/realm/mobile-apps', q, 'Search by name')}
  <div class="card">
    <div class="table-responsive">
    <table class="table table-sm table-hover mb-0 align-middle" id="mobile-apps-table">
      <thead><tr>
        <th scope="col">Status</th><th scope="col">Name</th><th scope="col">OS</th>
        % if can(P.MOBILE_APP_WRITE):
        <th scope="col"><span class="visually-hidden">Actions</span></th>
        % endif
      </tr></thead>
      <tbody>
      % for row in rows:
        <tr class="${'table-secondary' if row.deleted_at else ''}">
          <td>
            % if row.deleted_at:
            <span class="badge text-bg-danger" title="will be deleted in a few days">disabled</span>
            % else:
            <span class="badge text-bg-success">active</span>
            % endif
          </td>
          <td><a href="/realm/mobile-apps/${row.id}">${row.name}</a></td>
          <td>${os_names.get(row.os, 'unknown')}</td>
          % if can(P.MOBILE_APP_WRITE):
          <td class="text-end">
            % if row.deleted_at:
            ${action('/realm/mobile-apps/%d/enable' % row.id, 'PATCH', 'Enable', id='enable-%d' % row.id)}
            % else:
            ${action('/realm/mobile-apps/%d/disable' % row.id, 'PATCH', 'Disable', css='btn btn-sm btn-outline-danger', confirm='Are you sure you want to disable "%s"?' % row.name, id='disable-%d' % row.id)}
            % endif
          </td>
          % endif
        </tr>
      % endfor
      % if not rows:
        <tr><td colspan="4" class="text-body-secondary">No mobile apps match.</td></tr>
      % endif
      </tbody>
    </table>
    </div>
  </div>
  <div class="mt-3">${pager(page, page_url)}</div>
</div>
