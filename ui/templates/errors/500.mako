<%inherit file="../base.mako"/>
<h1>Something went wrong</h1>
<p>${message}</p>
