"""Localised HTML pages of the redirector: catalogues, locale choice, Mako.

Catalogues are ``locales/<locale>.json`` files (message id -> text, with
``%(name)s`` arguments); a missing id falls back to English, then to the id.
The locale is chosen per request: ``?lang=``, then ``Accept-Language``
(q-values honoured), then the realm's default locale, then English.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import falcon
from mako.lookup import TemplateLookup

from api.common.errors import _wants
from api.common.jsonio import dumps

HERE = Path(__file__).parent
DEFAULT_LOCALE = "en"
RTL_LANGUAGES = {"ar", "fa", "ps", "ur"}
# No scripts at all; agency logos may live on the health authority's site.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def load_catalogues(directory: Path = HERE / "locales") -> dict[str, dict[str, str]]:
    """Read every ``<locale>.json`` catalogue in ``directory``."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.json"))
    }


def _normalise(tag: str) -> str:
    parts = tag.strip().replace("-", "_").split("_")
    if len(parts) > 1:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return parts[0].lower()


def _accept_language(header: str) -> list[str]:
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue  # malformed entries are ignored, as browsers expect
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def choose_locale(
    available: set[str], lang: str, accept_language: str, realm_default: str = ""
) -> str:
    """Return the first available locale among the request's candidates."""
    candidates = [lang] if lang else []
    candidates += _accept_language(accept_language)
    candidates += [realm_default] if realm_default else []
    for candidate in candidates:
        tag = _normalise(candidate)
        if tag in available:
            return tag
        base = tag.split("_")[0]
        if base in available:
            return base
    return DEFAULT_LOCALE


def _module_directory() -> str:
    # One cache per checkout: Mako reuses a compiled module whose source
    # looks older, so two checkouts sharing a folder would mix templates.
    tag = hashlib.sha1(str(HERE).encode(), usedforsecurity=False).hexdigest()[:10]
    return str(Path(tempfile.gettempdir()) / f"encv-mako-redirect-{tag}")


class Pages:
    """Render the redirector's templates in the request's language."""

    def __init__(self, module_directory: str | None = None):
        self.catalogues = load_catalogues()
        self._lookup = TemplateLookup(
            directories=[str(HERE / "templates")],
            default_filters=["h"],  # HTML-escape every ${...} unless |n is asked
            strict_undefined=True,
            module_directory=module_directory or _module_directory(),
            input_encoding="utf-8",
        )

    def locale_for(self, req: falcon.Request, realm_default: str = "") -> str:
        """Pick the locale of ``req`` among the loaded catalogues."""
        return choose_locale(
            set(self.catalogues),
            req.get_param("lang") or "",
            req.get_header("Accept-Language") or "",
            realm_default or "",
        )

    def translate(self, locale: str, message_id: str, **args) -> str:
        """Return the text of ``message_id`` in ``locale`` with ``args`` applied."""
        text = self.catalogues.get(locale, {}).get(message_id) or self.catalogues[
            DEFAULT_LOCALE
        ].get(message_id, message_id)
        return text % args if args else text

    def render(
        self,
        resp: falcon.Response,
        template: str,
        locale: str,
        status: int = 200,
        **context,
    ) -> None:
        """Render ``template`` into ``resp`` as an HTML page."""

        def t(message_id: str, **args) -> str:
            return self.translate(locale, message_id, **args)

        language = locale.split("_")[0]
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.set_header("Content-Security-Policy", CSP)
        # Pages carry CSRF tokens and typed phone numbers: never cache them.
        resp.set_header("Cache-Control", "no-store")
        resp.text = self._lookup.get_template(template).render(
            t=t,
            lang=language,
            direction="rtl" if language in RTL_LANGUAGES else "ltr",
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
