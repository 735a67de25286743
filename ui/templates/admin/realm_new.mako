<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('realms')}
<h1 class="h3">New realm</h1>
<form method="post" action="/admin/realms" class="card card-body" id="realm-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <div class="mb-3">
    <label class="form-label" for="name">Name</label>
    <input class="form-control" id="name" name="name" required maxlength="100" value="${values.get('name', '')}">
  </div>
  <div class="mb-3">
    <label class="form-label" for="regionCode">Region code</label>
    <input class="form-control" id="regionCode" name="regionCode" required maxlength="10" value="${values.get('regionCode', '')}" placeholder="US-WA">
    <div class="form-text">Two letters, optionally a dash and a subdivision; at most 10 characters.</div>
  </div>
  <div class="mb-3">
    <label class="form-label" for="useRealmCertificateKey">Certificate signing</label>
    <select class="form-select" id="useRealmCertificateKey" name="useRealmCertificateKey">
      <option value="true" ${'selected' if values.get('useRealmCertificateKey', 'true') == 'true' else ''}>Create realm-specific signing key</option>
      <option value="false" ${'selected' if values.get('useRealmCertificateKey') == 'false' else ''}>Use the system signing key</option>
    </select>
  </div>
  <div class="row g-3 mb-3">
    <div class="col-md-6">
      <label class="form-label" for="certificateIssuer">Certificate issuer</label>
      <input class="form-control" id="certificateIssuer" name="certificateIssuer" maxlength="150" value="${values.get('certificateIssuer', '')}">
    </div>
    <div class="col-md-6">
      <label class="form-label" for="certificateAudience">Certificate audience</label>
      <input class="form-control" id="certificateAudience" name="certificateAudience" maxlength="150" value="${values.get('certificateAudience', '')}">
    </div>
    <div class="form-text">Required with a realm-specific signing key.</div>
  </div>
  % if has_sms:
  <div class="form-check mb-2">
    <input class="form-check-input" type="checkbox" id="can_use_system_sms_config" name="can_use_system_sms_config" value="true">
    <label class="form-check-label" for="can_use_system_sms_config">May use the system SMS config</label>
  </div>
  % endif
  % if has_email:
  <div class="form-check mb-3">
    <input class="form-check-input" type="checkbox" id="can_use_system_email_config" name="can_use_system_email_config" value="true">
    <label class="form-check-label" for="can_use_system_email_config">May use the system email config</label>
  </div>
  % endif
  <div><button class="btn btn-primary" type="submit" id="create-realm">Create realm</button></div>
</form>
</div>
