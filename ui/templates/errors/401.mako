<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(401, 'bi-lock', 'Unauthorized', 'Go back')">You are not allowed to do that.</%call>
