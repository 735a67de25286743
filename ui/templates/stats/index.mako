<%inherit file="../base.mako"/>
<%namespace name="stats_chart" file="_chart.mako"/>
<%
  composite = '/stats/realm/composite'
  realm_stats = '/stats/realm'
%>
<%def name="section(key, title, exports)">
<section class="card mb-3 stats-card" id="section-${key}">
  <div class="card-header d-flex flex-wrap justify-content-between align-items-center gap-2">
    <h2 class="h6 mb-0">${title}</h2>
    <span class="small d-flex flex-wrap gap-2">
      <button type="button" class="btn btn-link btn-sm p-0 link-secondary" data-bs-toggle="modal" data-bs-target="#help-${key}">Learn more</button>
      % for base in exports:
      <a href="${base}.csv" class="link-secondary" download>${base.rsplit('/', 1)[-1]}.csv</a>
      <a href="${base}.json" class="link-secondary">${base.rsplit('/', 1)[-1]}.json</a>
      % endfor
    </span>
  </div>
  <div class="card-body">
    ${caller.body()}
    <p class="stats-status small text-body-secondary mb-0" hidden></p>
  </div>
</section>
<div class="modal fade" id="help-${key}" tabindex="-1" aria-labelledby="help-${key}-title" aria-hidden="true">
  <div class="modal-dialog modal-dialog-scrollable">
    <div class="modal-content">
      <div class="modal-header">
        <h3 class="modal-title h5" id="help-${key}-title">${title}</h3>
        <button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Close"></button>
      </div>
      <div class="modal-body">${caller.help()}</div>
    </div>
  </div>
</div>
</%def>
<div class="container my-3" id="stats"
     data-composite-url="${composite}.json"
     data-users-url="/stats/realm/users.json"
     data-issuers-url="/stats/realm/external-issuers.json"
     data-sms-errors-url="${'/stats/realm/sms-errors.json' if facts.sms else ''}"
     data-key-server="${'true' if facts.key_server else 'false'}">
  <div class="d-flex flex-wrap justify-content-between align-items-end gap-2 mb-3">
    <div>
      <h1 class="h3 mb-1">Statistics</h1>
      <p class="small text-body-secondary mb-0">Last 90 days per UTC day; refreshed every 30 minutes.</p>
    </div>
    <div>
      <label for="smoothing" class="form-label small mb-1">Distribution smoothing</label>
      <select id="smoothing" class="form-select form-select-sm">
        % for days in smoothing_days:
        <option value="${days}" ${'selected' if days == smoothing else ''}>${'1 day' if days == 1 else '%d days' % days}</option>
        % endfor
      </select>
    </div>
  </div>

  <%self:section key="codes" title="Codes issued & usage" exports="${[composite, realm_stats]}">
    <%def name="help()">Per UTC day: codes issued, codes claimed by a device, codes that were invalid when a device tried them, and tokens exchanged for a certificate.${' With key-server statistics, the publish requests of the day are drawn too.' if facts.key_server else ''}</%def>
    <canvas class="stats-chart" data-chart="codes" role="img" aria-label="Codes issued and usage per day"></canvas>
  </%self:section>

  <%self:section key="invalid-os" title="Invalid codes by OS" exports="${[composite]}">
    <%def name="help()">Invalid codes per day by the operating system the device reported (unknown, iOS, Android). A rise on one platform may point at an app problem.</%def>
    <canvas class="stats-chart" data-chart="invalid-os" role="img" aria-label="Invalid codes by operating system"></canvas>
  </%self:section>

  % if facts.user_report:
  <%self:section key="user-report" title="User report codes & usage" exports="${[composite]}">
    <%def name="help()">Codes requested by people themselves (user report): issued, claimed, tokens claimed, and device mismatches (the claiming device was not the one that asked).</%def>
    <canvas class="stats-chart" data-chart="user-report" role="img" aria-label="User report codes per day"></canvas>
  </%self:section>
  <%self:section key="user-report-os" title="User report device mismatch by OS" exports="${[composite]}">
    <%def name="help()">Device mismatches of user-report codes per day by operating system.</%def>
    <canvas class="stats-chart" data-chart="user-report-os" role="img" aria-label="User report device mismatch by operating system"></canvas>
  </%self:section>
  % endif

  <%self:section key="token-source" title="Manual / automated code issue & user report" exports="${[composite]}">
    <%def name="help()">Tokens claimed per day, split between codes issued by staff or systems (manual and automated) and codes requested through user report.</%def>
    <canvas class="stats-chart" data-chart="token-source" role="img" aria-label="Tokens claimed by source"></canvas>
  </%self:section>

  <%self:section key="claim-age" title="Time until code claimed" exports="${[composite]}">
    <%def name="help()">How long after issue codes were claimed, summed over the last days chosen in "Distribution smoothing"; and the mean time until claimed per day.</%def>
    <canvas class="stats-chart mb-3" data-chart="claim-age" role="img" aria-label="Time until code claimed"></canvas>
    <canvas class="stats-chart" data-chart="claim-mean" role="img" aria-label="Mean time until code claimed"></canvas>
  </%self:section>

  % if facts.sms:
  <%self:section key="sms-errors" title="SMS errors by day" exports="${['/stats/realm/sms-errors']}">
    <%def name="help()">Messages the SMS provider refused, per day and provider error code.</%def>
    <canvas class="stats-chart" data-chart="sms-errors" role="img" aria-label="SMS errors per day"></canvas>
  </%self:section>
  % endif

  <%self:section key="per-user" title="Codes issued by user by day" exports="${['/stats/realm/users']}">
    <%def name="help()">Codes each member issued from this web interface per day. Open a day to see who issued them.</%def>
    <div class="table-responsive"><table class="table table-sm table-hover mb-0 stats-table" data-table="per-user">
      <thead><tr><th scope="col">Date</th><th scope="col" class="text-end">Codes issued</th><th scope="col"></th></tr></thead>
      <tbody></tbody>
    </table></div>
  </%self:section>

  <%self:section key="external-issuers" title="Codes issued by external issuers" exports="${['/stats/realm/external-issuers']}">
    <%def name="help()">Codes issued through the admin API per external issuer ID (the optional externalIssuerID of an issue request) per day.</%def>
    <div class="table-responsive"><table class="table table-sm table-hover mb-0 stats-table" data-table="external-issuers">
      <thead><tr><th scope="col">Date</th><th scope="col" class="text-end">Codes issued</th><th scope="col"></th></tr></thead>
      <tbody></tbody>
    </table></div>
  </%self:section>

  % if facts.key_server:
  <%self:section key="key-server" title="Key server" exports="${['/stats/realm/key-server']}">
    <%def name="help()">Statistics the key server reports for this realm: publish requests by OS, TEKs published, how many days Exposure Notifications was active before the upload, and days from symptom onset to upload. A day is shown once it has at least 10 publish requests or ended more than 48 hours ago.</%def>
    % if show_key_server_url and facts.key_server_url:
    <p class="small text-body-secondary" id="key-server-url">Key server: <code>${facts.key_server_url}</code></p>
    % endif
    <canvas class="stats-chart mb-3" data-chart="publish-os" role="img" aria-label="Publish requests by OS"></canvas>
    <canvas class="stats-chart mb-3" data-chart="teks" role="img" aria-label="TEKs published"></canvas>
    <canvas class="stats-chart mb-3" data-chart="tek-age" role="img" aria-label="EN days active before upload"></canvas>
    <canvas class="stats-chart" data-chart="onset" role="img" aria-label="Onset to upload"></canvas>
  </%self:section>
  % endif
</div>
${stats_chart.scripts()}
