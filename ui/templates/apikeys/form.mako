<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="summary, invalid, feedback"/>
<div class="container py-3">
<div class="row"><div class="col-12 col-lg-8">
  <h1 class="h3 mb-3">${title}</h1>
  ${summary(error, errors)}
  <form method="post" action="${'/realm/apikeys/%d' % app.id if app else '/realm/apikeys'}" id="apikey-form" class="card card-body">
    <input type="hidden" name="csrf_token" value="${csrf}">
    % if app:
    <input type="hidden" name="_method" value="PATCH">
    % endif
    <div class="mb-3">
      <label for="name" class="form-label">Name</label>
      <input type="text" class="form-control${invalid(errors, 'name')}" id="name" name="name" value="${typed['name']}" required>
      ${feedback(errors, 'name')}
    </div>
    <div class="mb-3">
      <label for="type" class="form-label">Type</label>
      % if app:
      <select class="form-select" id="type" disabled>
      % else:
      <select class="form-select${invalid(errors, 'type')}" id="type" name="type">
        <option value="-1">Choose&hellip;</option>
      % endif
      % for value, label, hint in types:
        <option value="${int(value)}"${' selected' if typed['type'] == str(int(value)) else ''}>${label} (${hint})</option>
      % endfor
      </select>
      ${feedback(errors, 'type')}
      % if app:
      <div class="form-text">The type of a key cannot change.</div>
      % endif
    </div>
    <div class="d-flex flex-wrap gap-2">
      <button type="submit" class="btn btn-primary" id="submit">${'Update API key' if app else 'Create API key'}</button>
      <a class="btn btn-outline-secondary" href="${'/realm/apikeys/%d' % app.id if app else '/realm/apikeys'}">Cancel</a>
    </div>
  </form>
</div></div>
</div>
