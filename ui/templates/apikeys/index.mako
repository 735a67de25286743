<%inherit file="../base.mako"/>
<%namespace file="../_pager.mako" import="pager"/>
<%namespace file="../_people.mako" import="search, action"/>
<div class="container py-3">
  <div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
    <h1 class="h3 mb-0">API keys</h1>
    % if can(P.API_KEY_WRITE):
    <a class="btn btn-primary btn-sm" href="/realm/apikeys/new" id="new-apikey">New API key</a>
    % endif
  </div>
  ${search('/realm/apikeys', q, 'Search by name or preview')}
  <div class="card">
    <div class="table-responsive">
    <table class="table table-sm table-hover mb-0 align-middle" id="apikeys-table">
      <thead><tr>
        <th scope="col">Name</th><th scope="col">Preview</th><th scope="col">Type</th><th scope="col">Last used</th>
        % if can(P.API_KEY_WRITE):
        <th scope="col"><span class="visually-hidden">Actions</span></th>
        % endif
      </tr></thead>
      <tbody>
      % for row in rows:
        <tr class="${'table-secondary' if row.deleted_at else ''}">
          <td>
            % if row.deleted_at:
            <span class="badge text-bg-danger" title="disabled - will be deleted in a few days">disabled</span>
            % endif
            <a href="/realm/apikeys/${row.id}">${row.name}</a>
          </td>
          <td><code>${row.api_key_preview}</code></td>
          <td><span class="badge text-bg-info" title="${types[row.api_key_type][1]}">${types[row.api_key_type][0]}</span></td>
          <td>
            % if row.last_used_at:
            <span data-timestamp="${row.last_used_at.isoformat()}">${row.last_used_at.strftime('%Y-%m-%d %H:%M UTC')}</span>
            % else:
            <span class="text-body-secondary">never</span>
            % endif
          </td>
          % if can(P.API_KEY_WRITE):
          <td class="text-end">
            % if row.deleted_at:
            ${action('/realm/apikeys/%d/enable' % row.id, 'PATCH', 'Enable', id='enable-%d' % row.id)}
            % else:
            ${action('/realm/apikeys/%d/disable' % row.id, 'PATCH', 'Disable', css='btn btn-sm btn-outline-danger', confirm='Are you sure you want to disable "%s"? Requests with it will be refused at once.' % row.name, id='disable-%d' % row.id)}
            % endif
          </td>
          % endif
        </tr>
      % endfor
      % if not rows:
        <tr><td colspan="5" class="text-body-secondary">No API keys match.</td></tr>
      % endif
      </tbody>
    </table>
    </div>
  </div>
  <div class="mt-3">${pager(page, page_url)}</div>
</div>
