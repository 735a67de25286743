<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(404, 'bi-signpost-split', t('static.error-404'), t('static.home'))">${t('static.error-404-text')}</%call>
