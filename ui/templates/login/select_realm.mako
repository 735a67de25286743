<%inherit file="../base.mako"/>
<h1>${t('login.select-realm')}</h1>
% if not memberships:
<p>${t('login.no-memberships')}</p>
% endif
<div class="grid">
% for m in memberships:
  <form method="post" action="/login/select-realm" class="card">
    <input type="hidden" name="csrf_token" value="${csrf}">
    <input type="hidden" name="realm" value="${m.realm_id}">
    <strong>${m.realm_name}</strong>
    % if m.region_code:
    <span class="muted">${m.region_code}</span>
    % endif
    <button type="submit">${t('login.select')}</button>
  </form>
% endfor
% if user.system_admin:
  <div class="card"><a href="/admin">${t('login.go-to-system-admin')}</a></div>
% endif
</div>
