<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="summary"/>
<div class="container py-3">
  <nav aria-label="breadcrumb"><ol class="breadcrumb">
    <li class="breadcrumb-item"><a href="/realm/users">Users</a></li>
    <li class="breadcrumb-item active" aria-current="page">Import</li>
  </ol></nav>
  <h1 class="h3 mb-3">Import users</h1>
  ${summary(error, {})}
  % if results is not None:
  <div class="card mb-3">
    <div class="card-header">Results: ${len([r for r in results if not r.error])} added, ${len([r for r in results if r.error])} failed</div>
    <div class="table-responsive">
    <table class="table table-sm mb-0" id="import-results">
      <thead><tr><th scope="col">Line</th><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Result</th></tr></thead>
      <tbody>
      % for r in results:
        <tr class="${'table-danger' if r.error else ''}">
          <td>${r.line}</td><td class="text-break">${r.email}</td><td>${r.name}</td>
          <td>${r.error or 'added'}</td>
        </tr>
      % endfor
      </tbody>
    </table>
    </div>
  </div>
  % endif
  <div class="alert alert-warning">Importing more than 100 users? Ask a system administrator to raise the realm's email quota first.</div>
  <form method="post" action="/realm/users/import" class="card card-body" id="import-form">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <div class="mb-3">
      <label for="csv-file" class="form-label">CSV file</label>
      <input class="form-control" type="file" id="csv-file" accept=".csv,text/csv,text/plain">
      <div class="form-text">One user per line: <code>email, name</code> (name optional). Choosing a file fills the box below; you can also paste.</div>
    </div>
    <div class="mb-3">
      <label for="csv" class="form-label">Users</label>
      <textarea class="form-control font-monospace" id="csv" name="csv" rows="8" placeholder="jane@example.com, Jane Doe">${text}</textarea>
    </div>
    <div class="form-check mb-3">
      <input class="form-check-input" type="checkbox" id="send_invites" name="send_invites" value="true"${' checked' if send_invites else ''}>
      <label class="form-check-label" for="send_invites">Send email invitations</label>
    </div>
    <p class="form-text">Imported users become case workers (issue, bulk issue, read and expire codes); existing members keep their permissions.</p>
    <div><button type="submit" class="btn btn-primary" id="import-submit">Import</button></div>
  </form>
</div>
<script src="/static/js/users_import.js" defer></script>
