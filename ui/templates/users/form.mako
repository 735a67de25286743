<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="summary, invalid, feedback"/>
<div class="container py-3">
<div class="row"><div class="col-12 col-lg-8">
  <h1 class="h3 mb-3">${title}</h1>
  ${summary(error, errors)}
  <form method="post" action="${'/realm/users/%d' % member.user_id if member else '/realm/users'}" id="user-form" class="card card-body">
    <input type="hidden" name="csrf_token" value="${csrf}">
    % if member:
    <input type="hidden" name="_method" value="PATCH">
    % endif
    <div class="mb-3">
      <label for="name" class="form-label">Name</label>
      <input type="text" class="form-control${invalid(errors, 'name')}" id="name" name="name" value="${typed['name']}" maxlength="100"${'' if member else ' autofocus'}>
      ${feedback(errors, 'name')}
    </div>
    <div class="mb-3">
      <label for="email" class="form-label">Email</label>
      % if member:
      <input type="email" class="form-control" id="email" value="${typed['email']}" readonly>
      % else:
      <input type="email" class="form-control${invalid(errors, 'email')}" id="email" name="email" value="${typed['email']}" required>
      ${feedback(errors, 'email')}
      <div class="form-text">An existing account with this address is added to the realm and keeps its name.</div>
      % endif
    </div>
    <fieldset class="mb-3">
      <legend class="form-label fs-6">Permissions</legend>
      % if is_self:
      <div class="alert alert-info py-2">You cannot change your own permissions.</div>
      % endif
      % if 'permissions' in errors:
      <div class="text-danger small mb-2" id="permissions-error">${errors['permissions']}</div>
      % endif
      <div class="row">
      % for bit, name, hint in permissions:
        <div class="col-12 col-md-6">
          <div class="form-check">
            <input class="form-check-input" type="checkbox" name="permissions" value="${bit}" id="perm-${name}"${' checked' if typed['permissions'] & bit else ''}${' disabled' if is_self or not (actor_permissions & bit) else ''}>
            <label class="form-check-label" for="perm-${name}">${name}</label>
            <div class="form-text mt-0">${hint}${('; implied by ' + implied_by[bit]) if bit in implied_by else ''}</div>
          </div>
        </div>
      % endfor
      </div>
      <div class="form-text">You can only grant permissions you hold yourself.</div>
    </fieldset>
    <div class="d-flex flex-wrap gap-2">
      <button type="submit" class="btn btn-primary" id="submit">${'Update user' if member else 'Create user'}</button>
      <a class="btn btn-outline-secondary" href="${'/realm/users/%d' % member.user_id if member else '/realm/users'}">Cancel</a>
    </div>
  </form>
</div></div>
</div>
