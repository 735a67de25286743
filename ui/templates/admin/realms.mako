<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<%namespace file="../_pager.mako" import="pager"/>
<div class="container">
${tabs('realms')}
<div class="d-flex flex-wrap gap-2 align-items-center justify-content-between mb-3">
  <h1 class="h3 mb-0">Realms</h1>
  <a class="btn btn-primary" href="/admin/realms/new" id="new-realm">New realm</a>
</div>
<form method="get" action="/admin/realms" class="d-flex gap-2 mb-3" role="search">
  <input class="form-control" type="search" name="q" value="${query}" placeholder="Search by name" aria-label="Search realms">
  <button class="btn btn-outline-secondary" type="submit">Search</button>
</form>
<div class="table-responsive">
<table class="table table-sm table-hover align-middle" id="realms">
  <thead><tr><th>ID</th><th>Region</th><th>Name</th><th>Maintenance</th><th>Chaff (7 days)</th><th>Abuse modelling</th><th>SMS</th><th>User report</th></tr></thead>
  <tbody>
  % for r in realms:
    <tr>
      <td>${r.id}</td>
      <td>${r.region_code or ''}</td>
      <td>
        <a href="/admin/realms/${r.id}/edit">${r.name}</a>
        % if r.last_codes_claimed_ratio and r.codes_claimed_ratio_mean and r.last_codes_claimed_ratio < r.codes_claimed_ratio_mean - 2 * r.codes_claimed_ratio_stddev:
        <span class="badge text-bg-warning" title="Anomalous claim ratio">anomaly</span>
        % endif
        % if not r.contact_email_addresses:
        <span class="badge text-bg-light" title="No contact email addresses">no contact</span>
        % endif
      </td>
      <td>${'On' if r.maintenance_mode else 'Off'}</td>
      <td>${chaff.get(r.id, 0)} / 7</td>
      <td>${'On' if r.abuse_prevention_enabled else 'Off'}</td>
      <td>
        % if r.use_authenticated_sms:
        <span class="badge text-bg-info">authenticated</span>
        % endif
        % if r.allow_generated_sms:
        <span class="badge text-bg-secondary">generated</span>
        % endif
      </td>
      <td>
        % if r.allowed_test_types & 16:
        <span class="badge text-bg-success">on</span>
          % if r.allow_user_report_web_view:
          <span class="badge text-bg-secondary">web view</span>
          % endif
        % endif
      </td>
    </tr>
  % endfor
  % if not realms:
    <tr><td colspan="8" class="text-body-secondary">No realms match.</td></tr>
  % endif
  </tbody>
</table>
</div>
${pager(page, page_url)}
<div class="card mt-3">
  <div class="card-body">
    <h2 class="h5">System-wide codes</h2>
    <p class="small text-body-secondary mb-0">Daily codes issued and claimed across realms:
      <a href="/admin/stats/system.json">system.json</a>. Days with fewer contributing realms than the configured minimum are shown as zero.</p>
  </div>
</div>
</div>
