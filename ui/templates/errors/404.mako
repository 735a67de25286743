<%inherit file="../base.mako"/>
<h1>Not found</h1>
<p>The page you asked for does not exist.</p>
