<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs, yes"/>
<div class="container">
${tabs('realms')}
<h1 class="h3">${r.name}</h1>
<div class="row g-3">
<div class="col-lg-7">
<form method="post" action="/admin/realms/${r.id}" class="card card-body" id="realm-edit">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <input type="hidden" name="_method" value="PATCH">
  <dl class="row small mb-3">
    <dt class="col-sm-5">ID</dt><dd class="col-sm-7">${r.id}</dd>
    <dt class="col-sm-5">Region code</dt><dd class="col-sm-7">${r.region_code or ''}</dd>
    <dt class="col-sm-5">Certificate key</dt><dd class="col-sm-7">${'realm-specific' if r.use_realm_certificate_key else 'system'}</dd>
    <dt class="col-sm-5">Certificate issuer</dt><dd class="col-sm-7">${r.certificate_issuer or ''}</dd>
    <dt class="col-sm-5">Certificate audience</dt><dd class="col-sm-7">${r.certificate_audience or ''}</dd>
  </dl>
  <fieldset class="mb-3">
    <legend class="form-label fs-6">Maintenance mode</legend>
    <div class="form-check form-check-inline">
      <input class="form-check-input" type="radio" name="maintenance_mode" id="mm-on" value="true" ${'checked' if r.maintenance_mode else ''}>
      <label class="form-check-label" for="mm-on">On</label>
    </div>
    <div class="form-check form-check-inline">
      <input class="form-check-input" type="radio" name="maintenance_mode" id="mm-off" value="false" ${'' if r.maintenance_mode else 'checked'}>
      <label class="form-check-label" for="mm-off">Off</label>
    </div>
  </fieldset>
  <div class="mb-3">
    <label class="form-label" for="short_code_max_minutes">Short code max minutes</label>
    <input class="form-control" type="number" min="60" max="120" id="short_code_max_minutes" name="short_code_max_minutes" value="${r.short_code_max_minutes}">
  </div>
  % for name, label in (('enx_code_expiration_configurable', 'ENX realms may change the code expiration'), ('allow_generated_sms', 'Allow generated SMS'), ('can_use_system_sms_config', 'May use the system SMS config'), ('can_use_system_email_config', 'May use the system email config')):
  <div class="form-check mb-2">
    <input class="form-check-input" type="checkbox" id="${name}" name="${name}" value="true" ${'checked' if getattr(r, name) else ''}>
    <label class="form-check-label" for="${name}">${label}</label>
  </div>
  % endfor
  <div class="mt-2"><button class="btn btn-primary" type="submit" id="save-realm">Save</button></div>
</form>
</div>
<div class="col-lg-5">
  <div class="card card-body mb-3">
    <h2 class="h6">Membership</h2>
    <form method="post" action="/admin/realms/${r.id}/${'remove' if is_member else 'add'}/${user.id}">
      <input type="hidden" name="csrf_token" value="${csrf}">
      <input type="hidden" name="_method" value="PATCH">
      % if is_member:
      <button class="btn btn-outline-danger" type="submit" id="leave-realm" data-confirm="Are you sure you want to leave ${r.name}?">Leave realm</button>
      % else:
      <button class="btn btn-outline-primary" type="submit" id="join-realm">Join realm</button>
      % endif
    </form>
  </div>
  <form method="post" action="/admin/realms/${r.id}/invite" class="card card-body mb-3" id="invite-form">
    <h2 class="h6">Invite a realm administrator</h2>
    <input type="hidden" name="csrf_token" value="${csrf}">
    <label class="form-label" for="invite-email">Email</label>
    <input class="form-control mb-2" type="email" id="invite-email" name="email" required>
    <label class="form-label" for="invite-name">Name</label>
    <input class="form-control mb-2" id="invite-name" name="name" maxlength="100">
    <div><button class="btn btn-outline-primary" type="submit" id="invite-admin">Invite</button></div>
  </form>
  <div class="card card-body mb-3">
    <h2 class="h6">State</h2>
    <dl class="row small mb-0">
      <dt class="col-7">Abuse prevention</dt><dd class="col-5">${yes(r.abuse_prevention_enabled)}${(' (limit %d/day)' % quota_limit) if quota_limit is not None else ''}</dd>
      <dt class="col-7">User report</dt><dd class="col-5">${yes(r.allowed_test_types & 16)}</dd>
      <dt class="col-7">User report web view</dt><dd class="col-5">${yes(r.allow_user_report_web_view)}</dd>
      <dt class="col-7">Authenticated SMS</dt><dd class="col-5">${yes(r.use_authenticated_sms)}</dd>
      <dt class="col-7">Claim ratio (latest)</dt><dd class="col-5">${'%.2f%%' % (float(r.last_codes_claimed_ratio) * 100)}</dd>
      <dt class="col-7">Claim ratio (mean ± sd)</dt><dd class="col-5">${'%.2f%% ± %.2f' % (float(r.codes_claimed_ratio_mean) * 100, float(r.codes_claimed_ratio_stddev) * 100)}</dd>
    </dl>
  </div>
  <div class="card card-body mb-3">
    <h2 class="h6">Chaff requests (UTC)</h2>
    <table class="table table-sm mb-0" id="chaff">
      <tbody>
      % for day, seen in chaff:
        <tr><td>${day.isoformat()}</td><td>${'✓' if seen else ''}</td></tr>
      % endfor
      </tbody>
    </table>
  </div>
</div>
</div>
<div class="card card-body mt-3">
  <h2 class="h6">Dynamic translations</h2>
  % if translations:
  <div class="table-responsive">
  <table class="table table-sm">
    <thead><tr><th>Locale</th><th>Message id</th><th>Message</th></tr></thead>
    <tbody>
    % for tr in translations:
      <tr><td>${tr.locale}</td><td>${tr.message_id}</td><td>${tr.message}</td></tr>
    % endfor
    </tbody>
  </table>
  </div>
  % else:
  <p class="text-body-secondary small mb-0">None synced.</p>
  % endif
</div>
</div>
