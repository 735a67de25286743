<%inherit file="../base.mako"/>
<h1>Unauthorized</h1>
<p>You are not allowed to do that. <a href="/">Go back</a>.</p>
