<%inherit file="../base.mako"/>
<h1>Bad request</h1>
<p>${message}</p>
