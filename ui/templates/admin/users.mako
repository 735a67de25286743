<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<%namespace file="../_pager.mako" import="pager"/>
<div class="container">
${tabs('users')}
<div class="d-flex flex-wrap gap-2 align-items-center justify-content-between mb-3">
  <h1 class="h3 mb-0">${'System admins' if admins_only else 'Users'}</h1>
  <a class="btn btn-primary" href="/admin/users/new" id="new-admin">New system admin</a>
</div>
<form method="get" action="/admin/users" class="row g-2 mb-3" role="search">
  <div class="col-sm-6"><input class="form-control" type="search" name="q" value="${query}" placeholder="Name or email" aria-label="Search users"></div>
  <div class="col-sm-4">
    <select class="form-select" name="filter" aria-label="Which users">
      <option value="">All users</option>
      <option value="systemAdmins" ${'selected' if admins_only else ''}>System admins</option>
    </select>
  </div>
  <div class="col-sm-2"><button class="btn btn-outline-secondary w-100" type="submit">Search</button></div>
</form>
<div class="table-responsive">
<table class="table table-sm table-hover align-middle" id="users">
  <thead><tr><th>Name</th><th>Email</th><th>System admin</th><th></th></tr></thead>
  <tbody>
  % for u in users:
    <tr>
      <td><a href="/admin/users/${u.id}">${u.name}</a></td>
      <td>${u.email}</td>
      <td>${'Yes' if u.system_admin else ''}</td>
      <td class="text-end">
        % if u.id != user.id:
        <form method="post" action="/admin/users/${u.id}" class="d-inline">
          <input type="hidden" name="csrf_token" value="${csrf}">
          <input type="hidden" name="_method" value="DELETE">
          <button class="btn btn-sm btn-outline-danger" type="submit" data-confirm="Are you sure you want to delete ${u.email}?">Delete</button>
        </form>
        % endif
      </td>
    </tr>
  % endfor
  % if not users:
    <tr><td colspan="4" class="text-body-secondary">No users match.</td></tr>
  % endif
  </tbody>
</table>
</div>
${pager(page, page_url)}
</div>
