<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs, yes"/>
<div class="container">
${tabs('users')}
<h1 class="h3">${u.name}</h1>
<div class="card card-body mb-3">
  <dl class="row mb-0">
    <dt class="col-sm-4">Email</dt><dd class="col-sm-8" id="user-email">${u.email}</dd>
    <dt class="col-sm-4">System admin</dt><dd class="col-sm-8">${yes(u.system_admin)}</dd>
    <dt class="col-sm-4">Email verified</dt><dd class="col-sm-8">${yes(u.email_verified_at)}</dd>
    <dt class="col-sm-4">Password set</dt><dd class="col-sm-8">${yes(u.password_hash)}</dd>
    <dt class="col-sm-4">Created</dt><dd class="col-sm-8">${u.created_at.strftime('%Y-%m-%d %H:%M UTC')}</dd>
  </dl>
</div>
<div class="d-flex flex-wrap gap-2 mb-3">
  <form method="post" action="/admin/users/${u.id}/sessions">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <button class="btn btn-outline-secondary" type="submit" id="revoke-sessions" data-confirm="Are you sure you want to sign ${u.email} out everywhere?">Revoke sessions</button>
  </form>
  % if u.system_admin and u.id != user.id:
  <form method="post" action="/admin/users/${u.id}/revoke">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="_method" value="DELETE">
    <button class="btn btn-outline-danger" type="submit" id="revoke-admin" data-confirm="Are you sure you want to revoke system admin from ${u.email}?">Revoke system admin</button>
  </form>
  % endif
  % if u.id != user.id:
  <form method="post" action="/admin/users/${u.id}">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="_method" value="DELETE">
    <button class="btn btn-danger" type="submit" id="delete-user" data-confirm="Are you sure you want to delete ${u.email}?">Delete user</button>
  </form>
  % endif
</div>
<h2 class="h5">Memberships</h2>
<div class="table-responsive">
<table class="table table-sm align-middle" id="memberships">
  <thead><tr><th>Realm</th><th>Region</th><th></th></tr></thead>
  <tbody>
  % for m in user_memberships:
    <tr>
      <td><a href="/admin/realms/${m.realm_id}/edit">${m.realm_name}</a></td>
      <td>${m.region_code or ''}</td>
      <td class="text-end">
        <form method="post" action="/admin/realms/${m.realm_id}/remove/${u.id}">
          <input type="hidden" name="csrf_token" value="${csrf}">
          <input type="hidden" name="_method" value="PATCH">
          <input type="hidden" name="back" value="/admin/users/${u.id}">
          <button class="btn btn-sm btn-outline-danger" type="submit" data-confirm="Are you sure you want to remove ${u.email} from ${m.realm_name}?">Remove</button>
        </form>
      </td>
    </tr>
  % endfor
  % if not user_memberships:
    <tr><td colspan="3" class="text-body-secondary">No memberships.</td></tr>
  % endif
  </tbody>
</table>
</div>
</div>
