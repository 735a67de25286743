<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(400, 'bi-exclamation-triangle', t('static.error-400'), t('static.home'))">${message}</%call>
