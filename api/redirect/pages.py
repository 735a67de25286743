"""Localised HTML pages of the redirector: the web view's catalogues and Mako.

The 38 web-view catalogues live in ``locale/<locale>/LC_MESSAGES`` (spec §9);
loading, locale choice (``?lang=``, ``Accept-Language``, English) and
formatting are shared with the UI in ``api.common.i18n``.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import falcon
from mako.lookup import TemplateLookup

from api.common.errors import _wants
from api.common.i18n import Catalogues
from api.common.jsonio import dumps

HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
# No scripts at all; agency logos may live on the health authority's site.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def _module_directory() -> str:
    # One cache per checkout: Mako reuses a compiled module whose source
    # looks older, so two checkouts sharing a folder would mix templates.
    tag = hashlib.sha1(str(HERE).encode(), usedforsecurity=False).hexdigest()[:10]
    return str(Path(tempfile.gettempdir()) / f"encv-mako-redirect-{tag}")


class Pages:
    """Render the redirector's templates in the request's language."""

    def __init__(self, module_directory: str | None = None):
        self.catalogues = Catalogues(LOCALE_DIR)
        self._lookup = TemplateLookup(
            directories=[str(HERE / "templates")],
            default_filters=["h"],  # HTML-escape every ${...} unless |n is asked
            strict_undefined=True,
            module_directory=module_directory or _module_directory(),
            input_encoding="utf-8",
        )

    def locale_for(self, req: falcon.Request) -> str:
        """Pick the locale of ``req`` among the web view's catalogues (§9)."""
        return self.catalogues.choose(
            req.get_param("lang"), req.get_header("Accept-Language")
        )

    def translator(self, locale: str):
        """Return ``t(id, **args)`` bound to ``locale``."""
        return self.catalogues.translator(locale)

    def render(
        self,
        resp: falcon.Response,
        template: str,
        locale: str,
        status: int = 200,
        **context,
    ) -> None:
        """Render ``template`` into ``resp`` as an HTML page."""

        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.set_header("Content-Security-Policy", CSP)
        # Pages carry CSRF tokens and typed phone numbers: never cache them.
        resp.set_header("Cache-Control", "no-store")
        texts = context.pop("realm_texts", None) or {}

        def realm_t(message_id: str, default: str) -> str:
            # The realm's synced text (§5.12) wins over the catalogue's.
            return texts.get(message_id) or default

        resp.text = self._lookup.get_template(template).render(
            **self.catalogues.context(locale),
            realm_t=realm_t,
            **context,
        )

    def error(
        self, req: falcon.Request, resp: falcon.Response, status: int, locale: str = ""
    ) -> None:
        """Render a content-negotiated error (HTML page, JSON or text)."""
        kind = _wants(req)
        title = {401: "Unauthorized", 404: "Not Found", 422: "Unprocessable Entity"}
        text = title.get(status, "Internal Server Error")
        if kind == "html":
            locale = locale or self.locale_for(req)
            self.render(resp, "errors/error.mako", locale, status, status_code=status)
            return
        resp.status = status
        if kind == "json":
            resp.content_type = falcon.MEDIA_JSON
            # The original answers the bare JSON string "Not Found" for 404s.
            body = text if status == 404 else {"error": text}
            resp.text = dumps(body).rstrip("\n")
        else:
            resp.content_type = "text/plain; charset=utf-8"
            resp.text = text
