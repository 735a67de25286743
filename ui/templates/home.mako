<%inherit file="base.mako"/>
<h1>Exposure Notifications Verification</h1>
<p>Sign-in arrives with the web UI.</p>
