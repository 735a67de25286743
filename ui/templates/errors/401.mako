<%inherit file="../base.mako"/>
<%namespace name="page" file="_page.mako"/>
<%call expr="page.error_page(401, 'bi-lock', t('static.error-401'), t('static.go-back'))">${t('static.error-401-text')}</%call>
