<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('caches')}
<h1 class="h3">Caches</h1>
<div class="table-responsive">
<table class="table table-sm align-middle" id="caches">
  <thead><tr><th>Cache</th><th>ID</th><th></th></tr></thead>
  <tbody>
  % for kind in kinds:
    <tr>
      <td>${kind.label}</td>
      <td><code>${kind.id}</code></td>
      <td class="text-end">
        <form method="post" action="/admin/caches/clear/${kind.id}">
          <input type="hidden" name="csrf_token" value="${csrf}">
          <button class="btn btn-sm btn-outline-danger" type="submit" data-confirm="Are you sure you want to clear the ${kind.label} cache?">Clear</button>
        </form>
      </td>
    </tr>
  % endfor
  </tbody>
</table>
</div>
</div>
