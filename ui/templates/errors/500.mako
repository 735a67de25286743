<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(500, 'bi-bug', 'Something went wrong', 'Home')">${message}</%call>
