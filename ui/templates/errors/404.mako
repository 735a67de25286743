<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(404, 'bi-signpost-split', 'Not found', 'Home')">The page you asked for does not exist.</%call>
