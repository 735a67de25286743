## The page shell of every UI page: head, navigation, banners, flashes, footer.
## Pages extend it with <%inherit file="../base.mako"/> and plain Bootstrap 5
## markup; a page that needs its own script adds
## <%block name="scripts"><script src="/static/js/x.js" defer></script></%block>.
<%!
    import json
    from ui import chrome
%>
<%
    brand = (realm.name + (' - ' + realm.region_code if realm.region_code else '')) if realm else server
    admin_links = chrome.realm_admin_links(can) if membership else []
    banners = chrome.realm_banners(realm, can, features, t, fmt) if membership else []
    # Texts app.js and passkeys.js show, in the page's language.
    js_texts = {
        'expired': t('codes.status.expired'),
        'issueFailed': t('codes.issue.failed'),
        'chooseFile': t('codes.bulk-issue.choose-file'),
        'bulkDone': t('codes.bulk-issue.done', '{ok}', '{failed}'),
        'rateLimited': t('codes.bulk-issue.rate-limited', '{seconds}'),
        'phoneMissing': t('codes.bulk-issue.phone-missing'),
        'uploadAborted': t('codes.bulk-issue.aborted'),
        'uploadCancelled': t('codes.bulk-issue.cancelled'),
        'passkeyRefused': t('mfa.passkey-refused'),
        'passkeyInsecure': t('mfa.passkey-insecure'),
        'passkeyUnfinished': t('mfa.passkey-unfinished'),
    }
%>
<!doctype html>
<html lang="${lang}" dir="${direction}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="csrf-token" content="${csrf}">
  <title>${title + ' · ' if title else ''}${server}</title>
  <link rel="icon" href="/favicon.ico" sizes="32x32">
  <link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">
  <link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">
  <link rel="stylesheet" href="/static/vendor/bootstrap-5.3.9/bootstrap${'.rtl' if direction == 'rtl' else ''}.min.css">
  <link rel="stylesheet" href="/static/vendor/bootstrap-icons-1.13.2/bootstrap-icons.min.css">
  <link rel="stylesheet" href="/static/app.css">
  <script src="/static/vendor/bootstrap-5.3.9/bootstrap.bundle.min.js" defer></script>
  <script src="/static/app.js" defer></script>
  <%block name="scripts"></%block>
</head>
<body class="d-flex flex-column min-vh-100 ${'disabled-controls' if disabled_controls else ''}" data-i18n="${json.dumps(js_texts)}">
<a class="visually-hidden-focusable skip-link" href="#main">${t('nav.skip-to-content')}</a>
<nav class="navbar navbar-expand-xl navbar-dark app-navbar" data-bs-theme="dark" aria-label="${t('nav.main-label')}">
  <div class="container-fluid app-container">
    <a class="navbar-brand d-flex align-items-center gap-2" href="/" title="${brand}">
      <img src="/static/icons/icon.svg" alt="" width="28" height="28">
      <span class="brand" dir="auto">${brand}</span>
    </a>
    <button class="navbar-toggler" type="button" id="nav-toggler" data-bs-toggle="collapse" data-bs-target="#main-nav" aria-controls="main-nav" aria-expanded="false" aria-label="${t('nav.toggle')}">
      <span class="navbar-toggler-icon"></span>
    </button>
    <div class="collapse navbar-collapse" id="main-nav">
      <ul class="navbar-nav me-auto">
  % if user and membership:
    % if can(P.CODE_ISSUE):
        ${nav_link('/codes/issue', 'bi-plus-square', t('nav.issue-code'), path == '/codes/issue')}
    % endif
    % if can(P.CODE_BULK_ISSUE) and realm.allow_bulk_upload:
        ${nav_link('/codes/bulk-issue', 'bi-file-earmark-spreadsheet', t('nav.bulk-issue-codes'), path == '/codes/bulk-issue')}
    % endif
    % if can(P.CODE_READ):
        ${nav_link('/codes/status', 'bi-search', t('nav.check-code-status'), path.startswith('/codes/') and path not in ('/codes/issue', '/codes/bulk-issue'))}
    % endif
    % if admin_links:
        <li class="nav-item dropdown">
          <a class="nav-link text-nowrap dropdown-toggle ${'active' if path.startswith('/realm/') else ''}" href="#" id="realm-menu" role="button" data-bs-toggle="dropdown" aria-expanded="false">
            <i class="bi bi-sliders" aria-hidden="true"></i> ${t('nav.realm-admin')}
          </a>
          <ul class="dropdown-menu" data-bs-theme="light" aria-labelledby="realm-menu">
      % for href, icon, label in admin_links:
            ${menu_item(href, icon, t(label))}
      % endfor
          </ul>
        </li>
    % endif
  % endif
  % if user and user.system_admin:
        <li class="nav-item dropdown">
          <a class="nav-link text-nowrap dropdown-toggle ${'active' if path.startswith('/admin') else ''}" href="#" id="system-menu" role="button" data-bs-toggle="dropdown" aria-expanded="false">
            <i class="bi bi-shield-lock" aria-hidden="true"></i> ${t('nav.system-admin')}
          </a>
          <ul class="dropdown-menu" data-bs-theme="light" aria-labelledby="system-menu">
    % for entry in chrome.SYSTEM_ADMIN_LINKS:
      % if entry is None:
            <li><hr class="dropdown-divider"></li>
      % else:
            ${menu_item(*entry)}
      % endif
    % endfor
          </ul>
        </li>
  % endif
      </ul>
      <ul class="navbar-nav">
  % if user:
        <li class="nav-item dropdown">
          <a class="nav-link text-nowrap dropdown-toggle user-menu" href="#" id="user-menu" title="${user.email}" role="button" data-bs-toggle="dropdown" aria-expanded="false">
            <i class="bi bi-person-circle" aria-hidden="true"></i> <span class="user-email" dir="ltr">${user.email}</span>
          </a>
          <ul class="dropdown-menu dropdown-menu-xl-end" data-bs-theme="light" aria-labelledby="user-menu">
            <li><h6 class="dropdown-header">${user.name or user.email}</h6></li>
            ${menu_item('/account', 'bi-person', t('nav.my-account'))}
    % if len(memberships) > 1:
            ${menu_item('/login/select-realm', 'bi-arrow-left-right', t('nav.change-realm'))}
    % endif
            <li><hr class="dropdown-divider"></li>
            <li><a class="dropdown-item" href="/signout" id="signout"><i class="bi bi-box-arrow-right" aria-hidden="true"></i> ${t('nav.sign-out')}</a></li>
          </ul>
        </li>
  % else:
        ${nav_link('/', 'bi-box-arrow-in-right', t('nav.sign-in'), path == '/')}
  % endif
      </ul>
    </div>
  </div>
</nav>
% if system_notice:
<div class="system-notice text-bg-danger" role="alert">
  <div class="container-fluid app-container py-2 d-flex gap-2">
    <i class="bi bi-exclamation-octagon-fill" aria-hidden="true"></i>
    <div class="notice-text">${system_notice | n}</div>
  </div>
</div>
% endif
% for href, text, link_text in banners:
<div class="realm-banner border-bottom" role="status">
  <div class="container-fluid app-container py-2 small d-flex gap-2 align-items-center">
    <i class="bi bi-info-circle-fill text-warning-emphasis" aria-hidden="true"></i>
    <span>${text} <a href="${href}" class="alert-link">${link_text}</a></span>
  </div>
</div>
% endfor
<main id="main" class="flex-grow-1">
<div class="container-fluid app-container py-4">
<div id="flash">
% for kind in ('alert', 'warning', 'error'):
  % for message in flashes.get(kind, []):
  <div class="alert ${chrome.FLASH_CLASSES[kind]} alert-dismissible fade show flash flash-${kind}" role="${'alert' if kind == 'error' else 'status'}">
    <i class="bi ${chrome.FLASH_ICONS[kind]} me-2" aria-hidden="true"></i>${message}
    <button type="button" class="btn-close" data-bs-dismiss="alert" aria-label="${t('nav.close')}"></button>
  </div>
  % endfor
% endfor
</div>
${self.body()}
</div>
</main>
<footer class="app-footer border-top py-3 mt-auto">
  <div class="container-fluid app-container d-flex flex-wrap justify-content-between gap-2 small text-body-secondary">
    <span><img src="/static/icons/icon.svg" alt="" width="16" height="16" class="me-1 align-text-bottom">${server}</span>
  % if realm:
    <span>${realm.name}</span>
  % endif
  </div>
</footer>
</body>
</html>
<%def name="nav_link(href, icon, label, active)">
<li class="nav-item"><a class="nav-link text-nowrap ${'active' if active else ''}" href="${href}" ${'aria-current="page"' if active else '' | n}><i class="bi ${icon}" aria-hidden="true"></i> ${label}</a></li>
</%def>
<%def name="menu_item(href, icon, label)">
<li><a class="dropdown-item ${'active' if path == href.split('?')[0].split('#')[0] else ''}" href="${href}"><i class="bi ${icon}" aria-hidden="true"></i> ${label}</a></li>
</%def>
