## Shared bits of the realm people pages (users, API keys, mobile apps).
<%def name="summary(error, errors)">
% if error:
<div class="alert alert-danger" role="alert" id="error-summary">
  <strong>${error}</strong>
  % if errors:
  <ul class="mb-0">
    % for key, message in sorted(errors.items()):
    <li>${key} ${message}</li>
    % endfor
  </ul>
  % endif
</div>
% endif
</%def>
<%def name="invalid(errors, key)">${' is-invalid' if key in errors else ''}</%def>
<%def name="feedback(errors, key)">
% if key in errors:
<div class="invalid-feedback" id="${key}-error">${errors[key]}</div>
% endif
</%def>
## A one-button form that PATCHes/DELETEs/POSTs; destructive ones confirm first
## (data-confirm on the form: app.js asks before the submit goes out).
<%def name="action(url, method, label, css='btn btn-sm btn-outline-secondary', confirm=None, id='')">
% if confirm:
<form method="post" action="${url}" class="d-inline" data-confirm="${confirm}">
% else:
<form method="post" action="${url}" class="d-inline">
% endif
  <input type="hidden" name="csrf_token" value="${csrf}">
  % if method != 'POST':
  <input type="hidden" name="_method" value="${method}">
  % endif
  <button type="submit" class="${css}" id="${id or ('btn-' + label.lower().replace(' ', '-'))}">${label}</button>
</form>
</%def>
<%def name="search(url, q, placeholder)">
<form method="get" action="${url}" class="d-flex gap-2 mb-3" role="search">
  <input type="search" class="form-control" name="q" id="q" value="${q}" placeholder="${placeholder}" aria-label="Search">
  <button type="submit" class="btn btn-outline-primary" id="search">Search</button>
</form>
</%def>
