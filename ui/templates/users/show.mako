<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="action"/>
<div class="container py-3">
  <nav aria-label="breadcrumb"><ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="/realm/users">Users</a></li>
    <li class="breadcrumb-item active" aria-current="page">${member.name}</li>
  </ol></nav>
  <div class="card">
    <div class="card-header d-flex flex-wrap justify-content-between align-items-center gap-2">
      <h1 class="h4 mb-0" id="member-name">${member.name}</h1>
      % if can(P.USER_WRITE):
      <div class="d-flex flex-wrap gap-2">
        <a class="btn btn-sm btn-outline-primary" href="/realm/users/${member.user_id}/edit" id="edit-user">Edit</a>
        ${action('/realm/users/%d/reset-password' % member.user_id, 'POST', 'Send password reset', confirm='Send a password reset email to %s?' % member.email, id='reset-password')}
        % if not is_self:
        ${action('/realm/users/%d' % member.user_id, 'DELETE', 'Remove from realm', css='btn btn-sm btn-outline-danger', confirm='Are you sure you want to remove %s from this realm?' % member.email, id='remove-user')}
        % endif
      </div>
      % endif
    </div>
    <div class="card-body">
      <dl class="row mb-0">
        <dt class="col-sm-3">Email</dt><dd class="col-sm-9 text-break" id="member-email">${member.email}</dd>
        <dt class="col-sm-3">Member since</dt><dd class="col-sm-9">${member.joined.strftime('%Y-%m-%d')}</dd>
        <dt class="col-sm-3">Permissions</dt>
        <dd class="col-sm-9" id="member-permissions">
          % for name in member_permissions:
          <span class="badge text-bg-secondary me-1 mb-1">${name}</span>
          % endfor
          % if not member_permissions:
          <span class="text-body-secondary">none</span>
          % endif
        </dd>
      </dl>
    </div>
  </div>
  <section class="card mt-3" id="member-passkeys">
    <div class="card-header">Passkeys</div>
    % if passkeys:
    <div class="table-responsive">
    <table class="table table-sm table-hover mb-0">
      <thead><tr><th scope="col">Name</th><th scope="col">Added</th><th scope="col">Last used</th><th scope="col"></th></tr></thead>
      <tbody>
      % for key in passkeys:
        <tr>
          <td>${key.friendly_name}</td>
          <td>${key.created_at.strftime('%Y-%m-%d')}</td>
          <td>${key.last_used_at.strftime('%Y-%m-%d') if key.last_used_at else 'never'}</td>
          <td class="text-end">
          % if can(P.USER_WRITE):
            ${action('/realm/users/%d/passkeys/%d' % (member.user_id, key.id), 'DELETE', 'Remove', css='btn btn-sm btn-outline-danger', confirm='Are you sure you want to remove the passkey %s of %s?' % (key.friendly_name, member.email))}
          % endif
          </td>
        </tr>
      % endfor
      </tbody>
    </table>
    </div>
    % else:
    <div class="card-body text-body-secondary">No passkeys.</div>
    % endif
  </section>
</div>
