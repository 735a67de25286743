## The system-admin tabs (§5.10), shown on every /admin page.
<%def name="tabs(active)">
<ul class="nav nav-tabs mb-3 flex-wrap" id="admin-nav">
% for key, label, href in (('realms', 'Realms', '/admin/realms'), ('users', 'Users', '/admin/users'), ('user-report', 'User report', '/admin/user-report'), ('mobile-apps', 'Mobile apps', '/admin/mobile-apps'), ('sms', 'SMS', '/admin/sms'), ('email', 'Email', '/admin/email'), ('events', 'Events', '/admin/events'), ('caches', 'Caches', '/admin/caches'), ('info', 'Info', '/admin/info')):
  <li class="nav-item"><a class="nav-link ${'active' if key == active else ''}" href="${href}">${label}</a></li>
% endfor
</ul>
</%def>
<%def name="yes(flag)">${'Yes' if flag else 'No'}</%def>
