<%inherit file="../base.mako"/>
<h1>${t('codes.status.title')}</h1>
<form id="status-form" class="card" method="get" action="/codes/status">
  <label for="uuid">UUID</label>
  <input id="uuid" name="uuid" class="${'invalid' if uuid_error else ''}" placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" maxlength="36" required>
  % if uuid_error:
  <p class="field-error">${uuid_error}</p>
  % endif
  <button type="submit" id="status-submit">${t('codes.status.check')}</button>
</form>
<h2>${t('codes.status.recent')}</h2>
% if recent:
<ul id="recent-codes">
  % for r in recent:
  <li><a href="/codes/${r.uuid}">${r.uuid}</a> <span data-timestamp="${r.created_at.isoformat()}">${r.created_at.strftime('%Y-%m-%d %H:%M UTC')}</span></li>
  % endfor
</ul>
% else:
<p>${t('codes.status.none')}</p>
% endif
