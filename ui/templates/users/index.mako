<%inherit file="../base.mako"/>
<%namespace file="../_pager.mako" import="pager"/>
<%namespace file="../_people.mako" import="search, action"/>
<div class="container py-3">
  <div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
    <h1 class="h3 mb-0">Users</h1>
    <div class="d-flex flex-wrap gap-2">
      <a class="btn btn-outline-secondary btn-sm" href="/realm/users/export.csv" id="export-users">Export CSV</a>
      % if can(P.USER_WRITE):
      <a class="btn btn-outline-secondary btn-sm" href="/realm/users/import" id="import-users">Import</a>
      <a class="btn btn-primary btn-sm" href="/realm/users/new" id="new-user">New user</a>
      % endif
    </div>
  </div>
  ${search('/realm/users', q, 'Search users')}
  <details class="mb-3 small text-body-secondary">
    <summary>Advanced search</summary>
    <p class="mt-2 mb-1">Terms are separated by spaces and must all match:</p>
    <ul class="mb-0">
      <li><code>name:fred|jones</code>, <code>email:@example\.com$</code> &mdash; case-insensitive regular expressions (each at most once)</li>
      <li><code>can:UserWrite</code> &mdash; holds any of the named permissions (repeatable)</li>
      <li><code>cannot:CodeIssue</code> &mdash; holds none of the named permissions (repeatable)</li>
      <li>other words match the name or the email</li>
    </ul>
  </details>
  % if can(P.USER_WRITE):
  <form method="post" id="bulk-form" action="/realm/users/bulk-permissions/add">
    <input type="hidden" name="csrf_token" value="${csrf}">
  % endif
  <div class="card">
    <div class="table-responsive">
    <table class="table table-sm table-hover mb-0 align-middle" id="users-table">
      <thead><tr>
        % if can(P.USER_WRITE):
        <th scope="col"><span class="visually-hidden">Select</span></th>
        % endif
        <th scope="col">Name</th><th scope="col">Email</th><th scope="col">Joined</th>
      </tr></thead>
      <tbody>
      % for row in rows:
        <tr>
          % if can(P.USER_WRITE):
          <td><input class="form-check-input" type="checkbox" name="user_id" value="${row.user_id}" aria-label="Select ${row.name}"${' disabled' if row.user_id == user.id else ''}></td>
          % endif
          <td><a href="/realm/users/${row.user_id}">${row.name}</a></td>
          <td class="text-break">${row.email}</td>
          <td><span data-timestamp="${row.joined.isoformat()}">${row.joined.strftime('%Y-%m-%d')}</span></td>
        </tr>
      % endfor
      % if not rows:
        <tr><td colspan="4" class="text-body-secondary">No users match.</td></tr>
      % endif
      </tbody>
    </table>
    </div>
  </div>
  % if can(P.USER_WRITE):
    <div class="card mt-3"><div class="card-body">
      <h2 class="h6">Change permissions of the selected users</h2>
      <fieldset class="mb-2">
        <legend class="form-label fs-6 mb-1">Permissions</legend>
        <div class="row">
        % for bit, name, hint in permissions:
          <div class="col-6 col-md-4 col-lg-3">
            <div class="form-check">
              <input class="form-check-input" type="checkbox" name="permission" value="${bit}" id="bulk-perm-${name}">
              <label class="form-check-label" for="bulk-perm-${name}" title="${hint}">${name}</label>
            </div>
          </div>
        % endfor
        </div>
      </fieldset>
      <div class="d-flex flex-wrap gap-2">
        <button type="submit" class="btn btn-outline-primary" id="bulk-add" formaction="/realm/users/bulk-permissions/add">Add to selected users</button>
        <button type="submit" class="btn btn-outline-danger" id="bulk-remove" formaction="/realm/users/bulk-permissions/remove">Remove from selected users</button>
      </div>
    </div></div>
  </form>
  % endif
  <div class="mt-3">${pager(page, page_url)}</div>
</div>
