<%inherit file="../base.mako"/>
<%namespace file="_nav.mako" import="tabs"/>
<div class="container">
${tabs('users')}
<h1 class="h3">New system admin</h1>
<form method="post" action="/admin/users" class="card card-body" id="admin-form">
  <input type="hidden" name="csrf_token" value="${csrf}">
  <div class="mb-3">
    <label class="form-label" for="email">Email</label>
    <input class="form-control" type="email" id="email" name="email" required value="${values.get('email', '')}">
  </div>
  <div class="mb-3">
    <label class="form-label" for="name">Name</label>
    <input class="form-control" id="name" name="name" maxlength="100" value="${values.get('name', '')}">
  </div>
  <p class="form-text">An existing user is promoted; a new one receives an invitation through the system email config.</p>
  <div><button class="btn btn-primary" type="submit" id="create-admin">Create system admin</button></div>
</form>
</div>
