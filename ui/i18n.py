"""The UI's message set (§9): 14 locales under ``ui/locale``.

Loading, locale choice and formatting are shared with the web view in
``api.common.i18n``. ``zh_HK`` is a web-view locale only: a UI request for it
(or ``zh-TW``/``zh-Hant``) finds no UI catalogue and gets English.
"""

from __future__ import annotations

from pathlib import Path

from api.common.i18n import Catalogues

LOCALE_DIR = Path(__file__).parent / "locale"


def load_catalogues() -> Catalogues:
    """Read the UI's compiled catalogues (once per process, at app build)."""
    return Catalogues(LOCALE_DIR)
