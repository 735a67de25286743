<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(500, 'bi-bug', t('static.error-500'), t('static.home'))">${message}</%call>
