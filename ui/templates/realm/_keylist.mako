## The key table both key pages show.
<%def name="key_table(keys, path, manual=True)">
% if keys:
<div class="table-responsive">
<table class="table table-sm table-hover align-middle" id="key-list">
  <thead><tr><th>Key ID</th><th>Status</th><th>Created</th><th class="d-none d-md-table-cell">Key version</th><th></th></tr></thead>
  <tbody>
  % for k in keys:
  <tr data-kid="${k.kid}">
    <td><code>${k.kid}</code></td>
    <td>
      % if k.active:
      <span class="badge text-bg-success">Active</span>
      % else:
      <span class="badge text-bg-secondary">Inactive</span>
      % endif
    </td>
    <td><span data-timestamp="${k.created_at.isoformat()}">${k.created_at.strftime('%Y-%m-%d %H:%M UTC')}</span></td>
    <td class="d-none d-md-table-cell small text-break">${k.key_version}</td>
    <td class="text-end text-nowrap">
      % if not k.active and manual:
      <form method="post" action="${path}/activate" class="d-inline">
        <input type="hidden" name="csrf_token" value="${csrf}">
        <input type="hidden" name="id" value="${k.id}">
        <button type="submit" class="btn btn-sm btn-outline-primary" id="activate-${k.id}">Activate</button>
      </form>
      <form method="post" action="${path}/${k.id}" class="d-inline">
        <input type="hidden" name="csrf_token" value="${csrf}">
        <input type="hidden" name="_method" value="DELETE">
        <button type="submit" class="btn btn-sm btn-outline-danger" id="destroy-${k.id}" data-confirm="Are you sure you want to destroy key ${k.kid}? This cannot be undone.">Destroy</button>
      </form>
      % endif
    </td>
  </tr>
  <tr><td colspan="5" class="border-0 pt-0"><details><summary class="small">Public key (PEM)</summary><pre class="bg-light border rounded p-2 small mb-0"><code>${k.pem}</code></pre></details></td></tr>
  % endfor
  </tbody>
</table>
</div>
% else:
<p class="text-muted" id="no-keys">There are no keys yet.</p>
% endif
% if len(keys) < max_keys:
<form method="post" action="${path}${'/create' if path == '/realm/keys' else ''}">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <button type="submit" class="btn btn-primary" id="create-key">Create new signing key version</button>
</form>
% else:
<p class="text-muted">There is a limit of ${max_keys} key versions. Destroy an inactive key to create a new one.</p>
% endif
</%def>
