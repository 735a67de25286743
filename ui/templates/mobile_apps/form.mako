<%inherit file="../base.mako"/>
<%namespace file="../_people.mako" import="summary, invalid, feedback"/>
<div class="container py-3">
<div class="row"><div class="col-12 col-lg-8">
  <h1 class="h3 mb-3">${title}</h1>
  ${summary(error, errors)}
  <form method="post" action="${'/realm/mobile-apps/%d' % app.id if app else '/realm/mobile-apps'}" id="mobile-app-form" class="card card-body">
    <input type="hidden" name="csrf_token" value="${csrf}">
    % if app:
    <input type="hidden" name="_method" value="PATCH">
    % endif
    <div class="mb-3">
      <label for="name" class="form-label">Name</label>
      <input type="text" class="form-control${invalid(errors, 'name')}" id="name" name="name" value="${typed['name']}" required>
      ${feedback(errors, 'name')}
    </div>
    <div class="mb-3">
      <label for="os" class="form-label">Operating system</label>
      <select class="form-select${invalid(errors, 'os')}" id="os" name="os">
        <option value="0">Choose&hellip;</option>
        <option value="1"${' selected' if typed['os'] == '1' else ''}>iOS custom app</option>
        <option value="2"${' selected' if typed['os'] == '2' else ''}>Android EN Express or custom app</option>
      </select>
      ${feedback(errors, 'os')}
    </div>
    <div class="mb-3">
      <label for="app_id" class="form-label">Application ID (iOS) or package name (Android)</label>
      <input type="text" class="form-control font-monospace${invalid(errors, 'app_id')}" id="app_id" name="app_id" value="${typed['app_id']}" placeholder="ABCD1234.com.my.app or com.my.app" required>
      ${feedback(errors, 'app_id')}
    </div>
    <div class="mb-3">
      <label for="url" class="form-label">App store URL</label>
      <input type="url" class="form-control${invalid(errors, 'url')}" id="url" name="url" value="${typed['url']}" placeholder="https://play.google.com/store/apps/details?id=com.my.app">
      ${feedback(errors, 'url')}
    </div>
    <div class="mb-3">
      <label for="sha" class="form-label">SHA-256 signing certificate fingerprints (Android)</label>
      <textarea class="form-control font-monospace${invalid(errors, 'sha')}" id="sha" name="sha" rows="3" placeholder="AA:BB:CC:...">${typed['sha']}</textarea>
      ${feedback(errors, 'sha')}
      <div class="form-text">Required for Android: one per line or comma separated, 32 colon-separated bytes each.</div>
    </div>
    <div class="form-check mb-3">
      <input class="form-check-input" type="checkbox" id="enable_redirect" name="enable_redirect" value="true"${' checked' if typed['enable_redirect'] else ''}>
      <label class="form-check-label" for="enable_redirect">Send people without the app to the store</label>
    </div>
    <div class="d-flex flex-wrap gap-2">
      <button type="submit" class="btn btn-primary" id="submit">${'Update mobile app' if app else 'Create mobile app'}</button>
      <a class="btn btn-outline-secondary" href="${'/realm/mobile-apps/%d' % app.id if app else '/realm/mobile-apps'}">Cancel</a>
    </div>
  </form>
</div></div>
</div>
