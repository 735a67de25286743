<!doctype html>
<html lang="${lang}" dir="${direction}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="csrf-token" content="${csrf}">
  <title>${title} · ${server}</title>
  <link rel="stylesheet" href="/static/app.css">
  <script src="/static/app.js" defer></script>
</head>
<body class="${'disabled-controls' if disabled_controls else ''}">
<header class="top">
  <a class="brand" href="/">${realm.name if realm else server}${(' - ' + realm.region_code) if realm and realm.region_code else ''}</a>
  <nav>
  % if user:
    % if membership:
      % if can(P.CODE_ISSUE):
      <a href="/codes/issue" class="${'active' if path == '/codes/issue' else ''}">${t('nav.issue-code')}</a>
      % endif
      % if can(P.CODE_BULK_ISSUE) and realm.allow_bulk_upload:
      <a href="/codes/bulk-issue" class="${'active' if path == '/codes/bulk-issue' else ''}">${t('nav.bulk-issue-codes')}</a>
      % endif
      % if can(P.CODE_READ):
      <a href="/codes/status" class="${'active' if path.startswith('/codes/status') else ''}">${t('nav.check-code-status')}</a>
      % endif
    % endif
    <details class="menu">
      <summary>${user.email}</summary>
      <div class="menu-items">
      % if membership:
        % if can(P.API_KEY_READ):
        <a href="/realm/apikeys">${t('nav.api-keys')}</a>
        % endif
        % if can(P.MOBILE_APP_READ):
        <a href="/realm/mobile-apps">${t('nav.mobile-apps')}</a>
        % endif
        % if can(P.AUDIT_READ):
        <a href="/realm/events">${t('nav.events')}</a>
        % endif
        % if can(P.SETTINGS_READ):
        <a href="/realm/keys">${t('nav.signing-keys')}</a>
        <a href="/realm/sms-keys">${t('nav.sms-signing-keys')}</a>
        % endif
        % if can(P.STATS_READ):
        <a href="/realm/stats">${t('nav.statistics')}</a>
        % endif
        % if can(P.USER_READ):
        <a href="/realm/users">${t('nav.users')}</a>
        % endif
        % if can(P.SETTINGS_READ):
        <a href="/realm/settings#general">${t('nav.settings')}</a>
        % endif
      % endif
      % if len(memberships) > 1:
        <a href="/login/select-realm">${t('nav.change-realm')}</a>
      % endif
      % if user.system_admin:
        <a href="/admin/realms">${t('nav.system-admin')}</a>
      % endif
        <a href="/account">${t('nav.my-account')}</a>
        <a href="/signout" id="signout">${t('nav.sign-out')}</a>
      </div>
    </details>
  % else:
    <a href="/">${t('nav.sign-in')}</a>
  % endif
  </nav>
</header>
% if system_notice:
<div class="notice">${system_notice}</div>
% endif
<main>
<div id="flash">
% for kind in ('alert', 'warning', 'error'):
  % for message in flashes.get(kind, []):
  <div class="flash flash-${kind}" role="status">${message}</div>
  % endfor
% endfor
</div>
${self.body()}
</main>
</body>
</html>
