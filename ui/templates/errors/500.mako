<%inherit file="../base.mako"/>
<h1>Something went wrong</h1>
<p>Please try again. If it keeps happening, contact your administrator.</p>
