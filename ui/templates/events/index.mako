<%inherit file="../base.mako"/>
<%namespace name="paging" file="../_pager.mako"/>
<div class="container my-3">
  <h1 class="h3 mb-3">${title}</h1>
  <form id="events-filter" class="row g-2 align-items-end mb-3" method="get" action="${action}">
    <div class="col-12 col-sm-5 col-lg-4">
      <label for="from" class="form-label">From (UTC)</label>
      <input type="datetime-local" id="from" name="from" class="form-control${' is-invalid' if window.error else ''}" value="${window.from_text}">
    </div>
    <div class="col-12 col-sm-5 col-lg-4">
      <label for="to" class="form-label">To (UTC)</label>
      <input type="datetime-local" id="to" name="to" class="form-control${' is-invalid' if window.error else ''}" value="${window.to_text}">
    </div>
    <div class="col-12 col-sm-2 col-lg-4 d-flex gap-2">
      <button type="submit" id="events-apply" class="btn btn-primary">Filter</button>
      % if window.from_text or window.to_text:
      <a href="${action}" id="events-clear" class="btn btn-outline-secondary">Clear</a>
      % endif
    </div>
  </form>
  % if window.error:
  <div class="alert alert-danger" role="alert" id="events-error">${window.error} Showing every entry.</div>
  % endif
  % if not entries:
  <p class="text-body-secondary" id="events-empty">There are no events${' in this period' if window.since or window.before else ''}.</p>
  % else:
  <ul class="list-group mb-3" id="events">
    % for entry in entries:
    <li class="list-group-item event" data-event-id="${entry.id}">
      <div class="d-flex flex-wrap justify-content-between gap-2">
        <h2 class="h6 mb-1 event-action">${entry.action}</h2>
        <small class="text-body-secondary">
          % if cross_realm:
          <span class="badge text-bg-light event-realm">${entry.realm_name or ('System' if entry.realm_id == 0 else 'Realm %d' % entry.realm_id)}</span>
          % endif
          <time datetime="${entry.created_at.isoformat()}" data-timestamp="${entry.created_at.isoformat()}">${entry.created_at.strftime('%Y-%m-%d %H:%M:%S UTC')}</time>
        </small>
      </div>
      <p class="mb-1 text-break event-sentence">
        <span class="fw-semibold event-actor">${entry.actor_display}</span>
        <span class="event-verb">${entry.action}</span>
        <span class="fw-semibold event-target">${entry.target_display}</span>
      </p>
      % if entry.diff:
      <button class="btn btn-link btn-sm p-0" type="button" data-bs-toggle="collapse" data-bs-target="#diff-${entry.id}" aria-expanded="false" aria-controls="diff-${entry.id}">Show changes</button>
      <div class="collapse" id="diff-${entry.id}">
        <pre class="small bg-body-tertiary border rounded p-2 mt-1 mb-0 event-diff">\
% for kind, line in diff_lines(entry.diff):
<span class="diff-${kind} ${'text-danger' if kind == 'removed' else ('text-success' if kind == 'added' else '')}">${line}</span>
% endfor
</pre>
      </div>
      % endif
    </li>
    % endfor
  </ul>
  % endif
  ${paging.pager(page, page_url)}
</div>
