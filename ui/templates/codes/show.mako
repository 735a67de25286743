<%inherit file="../base.mako"/>
<h1>${t('codes.status.title')}</h1>
<dl class="card" id="code-details">
  <dt>UUID</dt><dd id="code-uuid">${code.uuid}</dd>
  % if code.issuing_app_id:
  <dt>${t('codes.status.issuing-app')}</dt><dd>${issuing_app or t('codes.status.unknown-app')}</dd>
  % else:
  <dt>${t('codes.status.issuing-user')}</dt><dd>${issuing_user or t('codes.status.unknown-user')}</dd>
  % endif
  <dt>${t('codes.status.test-type')}</dt><dd>${code.test_type.title()}</dd>
  <dt>${t('codes.status.status')}</dt>
  <dd id="code-state">${t('codes.status.claimed') if code.claimed else (t('codes.status.not-claimed') if active else t('codes.status.expired'))}</dd>
  % if active:
  <dt>${t('codes.status.expires')}</dt>
  <dd><span class="countdown" data-expires="${int(code.expires_at.timestamp())}"></span></dd>
    % if sms_later:
  <dt>${t('codes.status.sms-expires')}</dt>
  <dd><span class="countdown" data-expires="${int(code.long_expires_at.timestamp())}"></span></dd>
    % endif
  % endif
</dl>
% if active and can(P.CODE_EXPIRE):
<form method="post" action="/codes/${code.uuid}/expire" data-confirm="${t('codes.status.confirm-expire')}">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <input type="hidden" name="_method" value="PATCH">
  <button type="submit" class="danger" id="expire-code">${t('codes.status.expire')}</button>
</form>
% endif
<p><a href="/codes/status">${t('codes.status.back')}</a></p>
