<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('sms')}
<h1 class="h3">System SMS</h1>
<form method="post" action="/admin/sms" class="card card-body" id="sms-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <div class="mb-3">
    <label class="form-label" for="twilio_account_sid">Twilio account SID</label>
    <input class="form-control" id="twilio_account_sid" name="twilio_account_sid" autocomplete="off" value="${values.get('twilio_account_sid', config.account_sid)}">
  </div>
  <div class="mb-3">
    <label class="form-label" for="twilio_auth_token">Twilio auth token</label>
    <input class="form-control" type="password" id="twilio_auth_token" name="twilio_auth_token" autocomplete="new-password" placeholder="${'stored; leave blank to keep' if config.has_auth_token else ''}">
    <div class="form-text">Stored encrypted and never shown. Blank SID and token delete the config and revoke every realm's use of it.</div>
  </div>
  <h2 class="h6">Sender numbers</h2>
  <div class="table-responsive">
  <table class="table table-sm" id="numbers">
    <thead><tr><th>Label</th><th>Number</th></tr></thead>
    <tbody>
    % for i, n in enumerate(config.numbers):
      <tr>
        <td><input type="hidden" name="twilio_from_numbers.${i}.id" value="${n.id}"><input class="form-control form-control-sm" name="twilio_from_numbers.${i}.label" value="${n.label}" aria-label="Label"></td>
        <td><input class="form-control form-control-sm" name="twilio_from_numbers.${i}.value" value="${n.value}" aria-label="Number"></td>
      </tr>
    % endfor
    % for i in range(len(config.numbers), len(config.numbers) + 2):
      <tr>
        <td><input class="form-control form-control-sm" name="twilio_from_numbers.${i}.label" placeholder="New label" aria-label="Label"></td>
        <td><input class="form-control form-control-sm" name="twilio_from_numbers.${i}.value" placeholder="+12065550100" aria-label="Number"></td>
      </tr>
    % endfor
    </tbody>
  </table>
  </div>
  <p class="form-text">Clear a row to delete that number.</p>
  <div><button class="btn btn-primary" type="submit" id="save-sms">Save</button></div>
</form>
</div>
