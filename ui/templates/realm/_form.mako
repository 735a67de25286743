## Small form helpers shared by the realm settings and key pages.
<%def name="err(name)">\
% if name in errors:
<div class="invalid-feedback d-block" data-error-for="${name}">${errors[name]}</div>
% endif
</%def>
<%def name="cls(name)">${'form-control is-invalid' if name in errors else 'form-control'}</%def>
<%def name="sel(name)">${'form-select is-invalid' if name in errors else 'form-select'}</%def>
<%def name="hidden(tab)">
<input type="hidden" name="csrf_token" value="${csrf}">
<input type="hidden" name="${tab}" value="1">
</%def>
<%def name="check(name, checked, label, hint='')">
<div class="form-check mb-2">
  <input class="form-check-input" type="checkbox" id="${name}" name="${name}" value="true" ${'checked' if checked else ''}>
  <label class="form-check-label" for="${name}">${label}</label>
  % if hint:
  <div class="form-text">${hint}</div>
  % endif
  ${err(name)}
</div>
</%def>
<%def name="yesno(name, value, label)">
<fieldset class="mb-3">
  <legend class="form-label fs-6">${label}</legend>
  <div class="form-check form-check-inline">
    <input class="form-check-input" type="radio" id="${name}-true" name="${name}" value="true" ${'checked' if value else ''}>
    <label class="form-check-label" for="${name}-true">Yes</label>
  </div>
  <div class="form-check form-check-inline">
    <input class="form-check-input" type="radio" id="${name}-false" name="${name}" value="false" ${'' if value else 'checked'}>
    <label class="form-check-label" for="${name}-false">No</label>
  </div>
</fieldset>
</%def>
<%def name="select(name, label, options, current, disabled=False)">
<div class="mb-3">
  <label class="form-label" for="${name}">${label}</label>
  <select class="${sel(name)}" id="${name}" name="${name}" ${'disabled' if disabled else ''}>
  % for value, text in options:
    <option value="${value}" ${'selected' if str(value) == str(current) else ''}>${text}</option>
  % endfor
  </select>
  ${err(name)}
</div>
</%def>
<%def name="pem_block(pem, ident)">
<pre class="bg-light border rounded p-2 small mb-0" id="${ident}"><code>${pem}</code></pre>
</%def>
