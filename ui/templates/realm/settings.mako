<%inherit file="../base.mako"/>
<%namespace name="f" file="_form.mako"/>
<%
def pv(name, default):
    """Posted value after a failed save, else the stored one."""
    if name in posted:
        value = posted[name]
        return value[-1] if isinstance(value, list) else value
    return default if default is not None else ''

enx = bool(r.enable_en_express)
tabs = ([('enx', 'ENX')] if not enx else []) + [
    ('general', 'General'), ('codes', 'Codes'), ('sms', 'SMS'), ('email', 'Email'),
    ('security', 'Security'), ('abuse_prevention', 'Abuse prevention')]
user_report = bool(r.allowed_test_types & 16)
base_types = r.allowed_test_types & ~16
%>
<div class="container py-3" id="realm-settings" data-active-tab="${active_tab}">
<h1 class="h3 mb-3">Realm settings</h1>
% if errors:
<div class="alert alert-danger" id="error-summary">
  <p class="mb-1">Please fix the following:</p>
  <ul class="mb-0">
  % for name, message in errors.items():
    <li>${name}: ${message}</li>
  % endfor
  </ul>
</div>
% endif
<ul class="nav nav-tabs flex-wrap mb-3" role="tablist">
% for key, label in tabs:
  <li class="nav-item"><a class="nav-link ${'active' if key == active_tab else ''}" href="#${key}" data-tab="${key}" id="tab-${key}">${label}</a></li>
% endfor
</ul>
<div class="tab-content">

% if not enx:
<section class="tab-pane ${'active show' if active_tab == 'enx' else ''}" id="enx" data-pane="enx">
  <div class="card"><div class="card-body">
    <h2 class="h5">Exposure Notifications Express</h2>
    <p>EN Express lets people without an app receive a verification link. Enabling it makes the realm
    confirmed-test only, resets code lengths and lifetimes to the ENX values (8 digits / 15 minutes, 16
    characters / 24 hours) and rewrites SMS templates to use <code>[enslink]</code>.
    A region code is required.</p>
    <form method="post" action="/realm/settings/enable-express">
      <input type="hidden" name="csrf_token" value="${csrf}">
      <button type="submit" class="btn btn-primary" id="enable-express" data-confirm="Are you sure you want to enable EN Express?">Enable EN Express</button>
    </form>
  </div></div>
</section>
% endif

<section class="tab-pane ${'active show' if active_tab == 'general' else ''}" id="general" data-pane="general">
<form method="post" action="/realm/settings#general" class="card"><div class="card-body">
  ${f.hidden('general')}
  <div class="mb-3">
    <label class="form-label" for="name">Name</label>
    <input class="${f.cls('name')}" id="name" name="name" value="${pv('name', r.name)}" required>
    ${f.err('name')}
  </div>
  <div class="mb-3">
    <label class="form-label" for="region_code">Region code</label>
    <input class="${f.cls('region_code')}" id="region_code" name="region_code" maxlength="10" value="${pv('region_code', r.region_code)}" ${'required' if enx else ''}>
    <div class="form-text">For example US-WA. Required for EN Express.</div>
    ${f.err('region_code')}
  </div>
  <div class="mb-3">
    <label class="form-label" for="welcome_message">Welcome message</label>
    <textarea class="${f.cls('welcome_message')}" id="welcome_message" name="welcome_message" rows="4">${pv('welcome_message', r.welcome_message)}</textarea>
    <div class="form-text">Markdown; shown once per session to people of this realm.</div>
  </div>
  % if v.emailer:
  <div class="mb-3">
    <label class="form-label" for="contact_email_addresses">Contact email addresses</label>
    <textarea class="${f.cls('contact_email_addresses')}" id="contact_email_addresses" name="contact_email_addresses" rows="3">${pv('contact_email_addresses', '\n'.join(r.contact_email_addresses))}</textarea>
    <div class="form-text">One per line, at most 10. They receive anomaly and SMS error notices.</div>
    ${f.err('contact_email_addresses')}
  </div>
  % endif
  ${f.check('allow_key_server_stats', v.key_server is not None, 'Collect statistics from the key server')}
  <div class="row g-2 mb-3">
    <div class="col-md-6">
      <label class="form-label" for="key_server_url">Key server URL override</label>
      <input class="${f.cls('key_server_url')}" id="key_server_url" name="key_server_url" value="${pv('key_server_url', v.key_server[0] if v.key_server else '')}" placeholder="https://">
      ${f.err('key_server_url')}
    </div>
    <div class="col-md-6">
      <label class="form-label" for="key_server_audience">Key server audience override</label>
      <input class="form-control" id="key_server_audience" name="key_server_audience" value="${pv('key_server_audience', v.key_server[1] if v.key_server else '')}">
    </div>
  </div>
  <button type="submit" class="btn btn-primary" id="save-general">Update general settings</button>
</div></form>
% if enx:
<div class="card mt-3"><div class="card-body">
  <details>
    <summary>Advanced settings</summary>
    <p class="mt-2">This realm is enrolled in EN Express.</p>
    <form method="post" action="/realm/settings/disable-express">
      <input type="hidden" name="csrf_token" value="${csrf}">
      <button type="submit" class="btn btn-outline-danger" id="disable-express" data-confirm="Are you sure you want to disable EN Express?">Disable EN Express</button>
    </form>
  </details>
</div></div>
% endif
</section>

<section class="tab-pane ${'active show' if active_tab == 'codes' else ''}" id="codes" data-pane="codes">
<form method="post" action="/realm/settings#codes" class="card"><div class="card-body">
  ${f.hidden('codes')}
  ${f.yesno('allow_bulk', r.allow_bulk_upload, 'Allow bulk issuing of codes')}
  % if not enx:
  <fieldset class="mb-3">
    <legend class="form-label fs-6">Allowed test types</legend>
    % for value, label in ((2, 'Confirmed test only'), (6, 'Confirmed and likely'), (14, 'Confirmed, likely and negative')):
    <div class="form-check">
      <input class="form-check-input" type="radio" name="allowed_test_types" id="test-types-${value}" value="${value}" ${'checked' if str(value) == str(pv('allowed_test_types', base_types)) else ''}>
      <label class="form-check-label" for="test-types-${value}">${label}</label>
    </div>
    % endfor
    ${f.err('allowed_test_types')}
  </fieldset>
  % else:
  <p class="text-muted">EN Express realms issue confirmed test codes only.</p>
  % endif
  ${f.check('allow_user_report', user_report, 'Allow user report', 'People may request a code for themselves (self-report).')}
  ${f.check('allow_user_report_web_view', r.allow_user_report_web_view, 'Allow the user-report web view')}
  ${f.check('allow_admin_user_report', r.allow_admin_user_report, 'Allow the admin API to issue user-report codes')}
  % if r.allow_generated_sms:
  <div class="row g-2 mb-3">
    <div class="col-md-6">
      <label class="form-label" for="user_report_webhook_url">User-report webhook URL</label>
      <input class="${f.cls('user_report_webhook_url')}" id="user_report_webhook_url" name="user_report_webhook_url" value="${pv('user_report_webhook_url', r.user_report_webhook_url)}" placeholder="https://">
      ${f.err('user_report_webhook_url')}
    </div>
    <div class="col-md-6">
      <label class="form-label" for="user_report_webhook_secret">Webhook secret</label>
      <input class="${f.cls('user_report_webhook_secret')}" type="password" autocomplete="off" id="user_report_webhook_secret" name="user_report_webhook_secret" value="${sentinel if r.user_report_webhook_secret else ''}">
      ${f.err('user_report_webhook_secret')}
    </div>
  </div>
  % endif
  ${f.yesno('require_date', r.require_date, 'Require a test or symptom date')}
  <div class="row g-2">
    <div class="col-sm-6">${f.select('code_length', 'Short code length', [(n, f'{n} digits') for n in (6, 7, 8)], pv('code_length', r.code_length), disabled=enx)}</div>
    <div class="col-sm-6">${f.select('code_duration', 'Short code lifetime', [(m, f'{m} minutes') for m in range(5, r.short_code_max_minutes + 1)], pv('code_duration', r.code_duration // 60), disabled=enx and not r.enx_code_expiration_configurable)}</div>
    <div class="col-sm-6">${f.select('long_code_length', 'Long code length', [(n, f'{n} characters') for n in range(12, 17)], pv('long_code_length', r.long_code_length), disabled=enx)}</div>
    <div class="col-sm-6">${f.select('long_code_duration', 'Long code lifetime', [(h, f'{h} hours') for h in range(1, 25)], pv('long_code_duration', r.long_code_duration // 3600), disabled=enx)}</div>
  </div>
  <button type="submit" class="btn btn-primary" id="save-codes">Update code settings</button>
</div></form>
</section>

<section class="tab-pane ${'active show' if active_tab == 'sms' else ''}" id="sms" data-pane="sms">
<form method="post" action="/realm/settings#sms" class="card"><div class="card-body">
  ${f.hidden('sms')}
  % if r.can_use_system_sms_config:
  ${f.check('use_system_sms_config', r.use_system_sms_config, 'Use the system SMS configuration')}
  ${f.select('sms_from_number_id', 'Sender number', [(0, 'Choose a number')] + [(i, f'{label} ({value})') for i, label, value in v.from_numbers], pv('sms_from_number_id', r.sms_from_number_id or 0))}
  % endif
  <h2 class="h6 mt-2">Twilio-compatible provider</h2>
  <div class="row g-2 mb-3">
    <div class="col-md-6">
      <label class="form-label" for="twilio_account_sid">Account SID</label>
      <input class="${f.cls('twilio_account_sid')}" id="twilio_account_sid" name="twilio_account_sid" autocomplete="off" value="${pv('twilio_account_sid', v.sms.twilio_account_sid if v.sms else '')}">
      ${f.err('twilio_account_sid')}
    </div>
    <div class="col-md-6">
      <label class="form-label" for="twilio_auth_token">Auth token</label>
      <input class="${f.cls('twilio_auth_token')}" type="password" autocomplete="off" id="twilio_auth_token" name="twilio_auth_token" value="${sentinel if v.has_sms_token else ''}">
    </div>
    <div class="col-md-6">
      <label class="form-label" for="twilio_from_number">From number</label>
      <input class="${f.cls('twilio_from_number')}" id="twilio_from_number" name="twilio_from_number" placeholder="+15005550006" value="${pv('twilio_from_number', v.sms.twilio_from_number if v.sms else '')}">
      ${f.err('twilio_from_number')}
    </div>
    % if user_report:
    <div class="col-md-6">
      <label class="form-label" for="twilio_user_report_from_number">User-report from number</label>
      <input class="${f.cls('twilio_user_report_from_number')}" id="twilio_user_report_from_number" name="twilio_user_report_from_number" value="${pv('twilio_user_report_from_number', v.sms.twilio_user_report_from_number if v.sms else '')}">
      ${f.err('twilio_user_report_from_number')}
    </div>
    % endif
  </div>
  <p class="form-text">Leave every credential blank to remove the realm's provider. Twilio alert webhook:
    <code id="twilio-webhook">${webhook_url}</code></p>
  <div class="mb-3">
    <label class="form-label" for="sms_country">Default SMS country</label>
    <input class="${f.cls('sms_country')}" id="sms_country" name="sms_country" maxlength="2" value="${pv('sms_country', r.sms_country)}" placeholder="us">
    <div class="form-text">Two-letter country code used for numbers without a country prefix.</div>
    ${f.err('sms_country')}
  </div>
  <h2 class="h6 mt-3">SMS templates</h2>
  <p class="form-text">Placeholders: [region] [code] [expires] [longcode] [longexpires] [enslink].
  ${'ENX realms must use [enslink] (and not [region] or [longcode]).' if enx else 'Use exactly one of [code] or [longcode].'}
  Line breaks and | become spaces; at most 800 characters.</p>
  <div class="mb-3">
    <label class="form-label" for="sms_text_template_0">Default SMS template</label>
    <input type="hidden" name="sms_text_label_0" value="Default SMS template">
    <textarea class="${f.cls('sms_text_template_0')}" id="sms_text_template_0" name="sms_text_template_0" rows="3" maxlength="800">${pv('sms_text_template_0', r.sms_text_template)}</textarea>
    ${f.err('sms_text_template_0')}
  </div>
  % for i, (label, body) in enumerate(sorted((r.alternate_sms_templates or {}).items()), start=1):
  <div class="mb-3 border-start ps-2 sms-template">
    <label class="form-label" for="sms_text_label_${i}">Template label</label>
    <input class="form-control mb-1" id="sms_text_label_${i}" name="sms_text_label_${i}" value="${label}" ${'readonly' if label == 'User Report' else ''}>
    % if label == 'User Report':
    <div class="form-text text-warning-emphasis">User-initiated reports always use this template.</div>
    % endif
    <textarea class="${f.cls('sms_text_template_' + str(i))}" name="sms_text_template_${i}" rows="3" maxlength="800" aria-label="Template ${label}">${body}</textarea>
    ${f.err('template:' + label)}${f.err('sms_text_template_' + str(i))}
  </div>
  % endfor
  <% new_index = len(r.alternate_sms_templates or {}) + 1 %>
  <details class="mb-3">
    <summary>New SMS template</summary>
    <label class="form-label mt-2" for="sms_text_label_${new_index}">Label</label>
    <input class="form-control mb-1" id="sms_text_label_${new_index}" name="sms_text_label_${new_index}" value="">
    <textarea class="form-control" name="sms_text_template_${new_index}" rows="3" maxlength="800" aria-label="New template text"></textarea>
    <div class="form-text">To delete an alternate template, clear its label and text.</div>
  </details>
  <button type="submit" class="btn btn-primary" id="save-sms">Update SMS settings</button>
</div></form>
</section>

<section class="tab-pane ${'active show' if active_tab == 'email' else ''}" id="email" data-pane="email">
<form method="post" action="/realm/settings#email" class="card"><div class="card-body">
  ${f.hidden('email')}
  % if r.can_use_system_email_config:
  ${f.check('use_system_email_config', r.use_system_email_config, 'Use the system email configuration')}
  % endif
  <div class="row g-2 mb-3">
    <div class="col-md-6">
      <label class="form-label" for="smtp_account">SMTP account</label>
      <input class="${f.cls('smtp_account')}" id="smtp_account" name="smtp_account" autocomplete="off" value="${pv('smtp_account', v.email.smtp_account if v.email else '')}">
      ${f.err('smtp_account')}
    </div>
    <div class="col-md-6">
      <label class="form-label" for="smtp_password">SMTP password</label>
      <input class="form-control" type="password" autocomplete="off" id="smtp_password" name="smtp_password" value="${sentinel if v.has_smtp_password else ''}">
    </div>
    <div class="col-md-8">
      <label class="form-label" for="smtp_host">SMTP host</label>
      <input class="form-control" id="smtp_host" name="smtp_host" value="${pv('smtp_host', v.email.smtp_host if v.email else '')}">
    </div>
    <div class="col-md-4">
      <label class="form-label" for="smtp_port">SMTP port</label>
      <input class="${f.cls('smtp_port')}" id="smtp_port" name="smtp_port" inputmode="numeric" value="${pv('smtp_port', v.email.smtp_port if v.email else '587')}">
      ${f.err('smtp_port')}
    </div>
  </div>
  % for name, field, placeholder, label in (('email_invite_template', 'email_invite_template', '[invitelink]', 'Invitation email'), ('email_password_reset_template', 'password_reset_template', '[passwordresetlink]', 'Password reset email'), ('email_verify_template', 'email_verify_template', '[verifylink]', 'Email verification email')):
  <div class="mb-3">
    <label class="form-label" for="${field}">${label}</label>
    <textarea class="${f.cls(field)}" id="${field}" name="${field}" rows="4">${pv(field, getattr(r, name))}</textarea>
    <div class="form-text">Must contain ${placeholder}; [realmname] becomes the realm name. Empty uses the built-in text.</div>
    ${f.err(field)}
  </div>
  % endfor
  <button type="submit" class="btn btn-primary" id="save-email">Update email settings</button>
</div></form>
</section>

<section class="tab-pane ${'active show' if active_tab == 'security' else ''}" id="security" data-pane="security">
<form method="post" action="/realm/settings#security" class="card"><div class="card-body">
  ${f.hidden('security')}
  <% modes = [(1, 'Required'), (0, 'Prompt after login'), (2, 'Optional')] %>
  <div class="row g-2">
    <div class="col-md-6">${f.select('email_verified_mode', 'Email verification', modes, pv('email_verified_mode', r.email_verified_mode))}</div>
    <div class="col-md-6">${f.select('mfa_mode', 'Multi-factor authentication', modes, pv('mfa_mode', r.mfa_mode))}</div>
    <div class="col-md-6">${f.select('mfa_grace_period', 'MFA grace period (when required)', [(0, 'Immediately'), (1, '1 day'), (7, '7 days'), (30, '30 days')], pv('mfa_grace_period', r.mfa_required_grace_period // 86400))}</div>
    <div class="col-md-6">${f.select('password_rotation_period_days', 'Password rotation', [(0, 'Off'), (30, '30 days'), (60, '60 days'), (90, '90 days'), (365, '365 days')], pv('password_rotation_period_days', r.password_rotation_period_days))}</div>
    <div class="col-md-6">${f.select('password_rotation_warning_days', 'Warn before expiry', [(0, 'Off'), (1, '1 day'), (3, '3 days'), (5, '5 days'), (7, '7 days'), (30, '30 days')], pv('password_rotation_warning_days', r.password_rotation_warning_days))}</div>
  </div>
  <div class="mt-3">${f.check('allow_passkey_signin', r.allow_passkey_signin, 'Allow sign-in with a passkey alone', 'Members who registered a passkey may sign in with it without their email address and password. A passkey always counts as a second factor.')}</div>
  <h2 class="h6 mt-3">Allowed networks</h2>
  <p class="form-text">CIDRs, one per line or comma-separated; a bare address means just that address. Empty allows every address.</p>
  % for surface, label in (('adminapi', 'Admin API'), ('apiserver', 'Device API'), ('server', 'Web UI')):
  <div class="mb-3">
    <label class="form-label" for="allowed_cidrs_${surface}">${label}</label>
    <textarea class="${f.cls('allowed_cidrs_' + surface)}" id="allowed_cidrs_${surface}" name="allowed_cidrs_${surface}" rows="2">${pv('allowed_cidrs_' + surface, '\n'.join(getattr(r, 'allowed_cidrs_' + surface) or []))}</textarea>
    ${f.err('allowed_cidrs_' + surface)}
  </div>
  % endfor
  <button type="submit" class="btn btn-primary" id="save-security">Update security settings</button>
</div></form>
</section>

<section class="tab-pane ${'active show' if active_tab == 'abuse_prevention' else ''}" id="abuse_prevention" data-pane="abuse_prevention">
<form method="post" action="/realm/settings#abuse_prevention" class="card"><div class="card-body">
  ${f.hidden('abuse_prevention')}
  ${f.check('abuse_prevention_enabled', r.abuse_prevention_enabled, 'Enable abuse prevention', 'Caps the codes issued per day at the forecast limit.')}
  % if v.abuse:
  <table class="table table-sm mb-3" id="abuse-numbers"><tbody>
    <tr><th scope="row">Today's quota</th>
      <td id="quota-remaining">${v.abuse.remaining} of ${v.abuse.effective} remaining
      % if v.abuse.remaining > v.abuse.effective:
      <span class="badge text-bg-info">remaining quota exceeds the maximum (burst added)</span>
      % endif
      </td></tr>
    <tr><th scope="row">Modeler's forecast (limit)</th>
      <td id="abuse-limit">${v.abuse.limit}
      <span class="text-muted small">${('updated ' + v.abuse.modeled_at.strftime('%Y-%m-%d %H:%M UTC')) if v.abuse.modeled_at else 'not yet modeled'}</span></td></tr>
    <tr><th scope="row">Next forecast from history</th>
      <td id="abuse-next">${v.abuse.next_forecast if v.abuse.next_forecast is not None else 'not enough data'} <span class="text-muted small">(${v.abuse.history_days} days of history)</span></td></tr>
    <tr><th scope="row">Effective limit</th><td id="abuse-effective">${v.abuse.effective}</td></tr>
  </tbody></table>
  % endif
  <div class="row g-2 mb-3">
    <div class="col-md-6">
      <label class="form-label" for="abuse_prevention_limit_factor">Limit factor</label>
      <input class="${f.cls('abuse_prevention_limit_factor')}" id="abuse_prevention_limit_factor" name="abuse_prevention_limit_factor" inputmode="decimal" value="${pv('abuse_prevention_limit_factor', '%.3f' % r.abuse_prevention_limit_factor)}">
      <div class="form-text">Effective limit = ceil(limit × factor floored to 2 decimals).</div>
      ${f.err('abuse_prevention_limit_factor')}
    </div>
    <div class="col-md-6">
      <label class="form-label" for="abuse_prevention_burst">Add to today's quota</label>
      <input class="${f.cls('abuse_prevention_burst')}" id="abuse_prevention_burst" name="abuse_prevention_burst" inputmode="numeric" value="0">
      ${f.err('abuse_prevention_burst')}
    </div>
  </div>
  <button type="submit" class="btn btn-primary" id="save-abuse_prevention">Update abuse prevention</button>
</div></form>
</section>
</div>
</div>
<script src="/static/js/realm-settings.js" defer></script>
