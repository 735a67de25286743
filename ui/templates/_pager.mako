## Paging links for a ui.paging.Page; call as ${pager(page, url)} where
## url(number) returns the link of a page (ui.paging.page_url bound to req).
<%def name="pager(page, url)">
% if page.pages > 1:
<nav aria-label="Pages">
  <ul class="pagination pagination-sm">
    <li class="page-item ${'' if page.has_prev else 'disabled'}">
      <a class="page-link" href="${url(page.number - 1) if page.has_prev else '#'}">&laquo;</a>
    </li>
    % for n in range(max(1, page.number - 3), min(page.pages, page.number + 3) + 1):
    <li class="page-item ${'active' if n == page.number else ''}">
      <a class="page-link" href="${url(n)}">${n}</a>
    </li>
    % endfor
    <li class="page-item ${'' if page.has_next else 'disabled'}">
      <a class="page-link" href="${url(page.number + 1) if page.has_next else '#'}">&raquo;</a>
    </li>
  </ul>
  <p class="text-body-secondary small">${page.total} total</p>
</nav>
% endif
</%def>
