## One look for every error page: call as
## <%call expr="page.error_page(404, 'bi-signpost-split', 'Not found')">text</%call>
<%def name="error_page(code, icon, heading, action)">
<div class="card auth-card text-center error-page">
  <div class="card-body">
    <div class="error-code"><i class="bi ${icon}" aria-hidden="true"></i> ${code}</div>
    <h1>${heading}</h1>
    <p class="text-body-secondary mb-0">${caller.body()}</p>
    <a class="btn btn-primary mt-4" href="/">${action}</a>
  </div>
</div>
</%def>
