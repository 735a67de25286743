<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('user-report')}
<h1 class="h3">User report</h1>
<form method="post" action="/admin/user-report" class="card card-body" id="purge-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <input type="hidden" name="_method" value="DELETE">
  <div class="mb-3">
    <label class="form-label" for="phone">Phone number (international, e.g. +12065550123)</label>
    <input class="form-control" type="tel" id="phone" name="phone_number[full]" required>
  </div>
  <p class="form-text">Removes the phone from the user-report records so it may request a code again; a still-active code is expired first.</p>
  <div><button class="btn btn-danger" type="submit" id="purge" data-confirm="Are you sure you want to purge this phone number?">Purge phone number</button></div>
</form>
</div>
