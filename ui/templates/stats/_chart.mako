## Reusable per-day chart of a stats JSON export (API key, user, realm).
##
##   <%namespace name="stats_chart" file="/stats/_chart.mako"/>
##   ${stats_chart.per_day('/stats/realm/api-keys/%d.json' % key.id,
##                         ['codes_issued', 'codes_claimed'], 'Codes per day')}
##
## The JSON must be {"statistics": [{"date": ..., "data": {<series>: n}}]}.
## ui/static/js/stats.js fetches data-stats-url, draws the named series and
## sets data-drawn (the sum of the values drawn) on the canvas when done.
## stats.js guards itself, so several charts (and script tags) on a page are fine.
<%def name="scripts()">
<script src="/static/vendor/chartjs-4.6.1/chart.umd.min.js" defer></script>
<script src="/static/js/stats.js" defer></script>
</%def>

<%def name="per_day(url, series, title='Per day', with_scripts=True)">
<div class="card mb-3 stats-card">
  <div class="card-header d-flex flex-wrap justify-content-between align-items-center gap-2">
    <h2 class="h6 mb-0">${title}</h2>
    <span class="small">
      <a href="${url[:-5] + '.csv' if url.endswith('.json') else url}" class="link-secondary me-2" download>CSV</a>
      <a href="${url}" class="link-secondary">JSON</a>
    </span>
  </div>
  <div class="card-body">
    <canvas class="stats-chart" data-stats-url="${url}" data-stats-series="${','.join(series)}" role="img" aria-label="${title}"></canvas>
    <p class="stats-status small text-body-secondary mb-0" hidden></p>
  </div>
</div>
% if with_scripts:
${scripts()}
% endif
</%def>
