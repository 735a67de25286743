<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('email')}
<h1 class="h3">System email</h1>
<form method="post" action="/admin/email" class="card card-body" id="email-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <div class="mb-3">
    <label class="form-label" for="smtp_account">SMTP account (sender address)</label>
    <input class="form-control" id="smtp_account" name="smtp_account" autocomplete="off" value="${values.get('smtp_account', config.account)}">
  </div>
  <div class="mb-3">
    <label class="form-label" for="smtp_password">SMTP password</label>
    <input class="form-control" type="password" id="smtp_password" name="smtp_password" autocomplete="new-password" placeholder="${'stored; leave blank to keep' if config.has_password else 'optional'}">
    <div class="form-text">Stored encrypted and never shown.</div>
  </div>
  <div class="row g-3 mb-3">
    <div class="col-sm-8">
      <label class="form-label" for="smtp_host">SMTP host</label>
      <input class="form-control" id="smtp_host" name="smtp_host" value="${values.get('smtp_host', config.host)}">
    </div>
    <div class="col-sm-4">
      <label class="form-label" for="smtp_port">Port</label>
      <input class="form-control" id="smtp_port" name="smtp_port" inputmode="numeric" value="${values.get('smtp_port', config.port)}">
    </div>
  </div>
  <p class="form-text">Blank account and host delete the config and revoke every realm's use of it.</p>
  <div><button class="btn btn-primary" type="submit" id="save-email">Save</button></div>
</form>
</div>
