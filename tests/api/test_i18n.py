"""Catalogues and locale choice shared by the UI and the web view (spec 9)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from api.common.i18n import (
    Catalogues,
    Formatter,
    LocaleMatcher,
    direction,
    html_language,
    parse_accept_language,
)
from api.redirect.pages import LOCALE_DIR as REDIRECT_DIR
from encv.i18n_tool import ROOT, SETS, compiled, extract, placeholders
from ui.i18n import LOCALE_DIR as UI_DIR


def _po(path):
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def _mo(data: bytes) -> dict:
    catalog = read_mo(io.BytesIO(data))
    return {m.id: m.string for m in catalog if m.id}


def _template_ids(mset):
    with mset.template.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.fixture(scope="module")
def ui():
    return Catalogues(UI_DIR)


@pytest.fixture(scope="module")
def web():
    return Catalogues(REDIRECT_DIR)


# ---- the catalogues themselves ---------------------------------------------


def test_templates_are_current(tmp_path):
    # A fresh extraction finds exactly the ids of the committed messages.pot,
    # so the completeness checks below see every id the code uses.
    for mset in SETS.values():
        out = tmp_path / f"{mset.name}.pot"
        extract(mset, out)
        with out.open("rb") as handle:
            fresh = {m.id for m in read_po(handle) if m.id}
        assert fresh == _template_ids(mset), f"run `make i18n` ({mset.name})"


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_locale_has_every_id_with_english_placeholders(name):
    mset = SETS[name]
    wanted = _template_ids(mset)
    english = _po(mset.po("en"))
    assert {i for i in wanted if not english.get(i)} == set(), "English text missing"
    for locale in mset.locales:
        catalogue = _po(mset.po(locale))
        assert wanted <= set(catalogue), (
            f"{locale} lacks {sorted(wanted - set(catalogue))}"
        )
        for message_id, text in catalogue.items():
            if text:
                assert placeholders(text) == placeholders(english[message_id]), (
                    f"{locale} {message_id}: {text!r}"
                )


@pytest.mark.parametrize("name", sorted(SETS))
def test_each_mo_is_a_fresh_compile_of_its_po(name):
    # Compared as messages, not bytes: the header of a .mo names the Babel
    # version that wrote it, and the venv may hold a newer one.
    mset = SETS[name]
    for locale in mset.locales:
        committed = _mo(mset.mo(locale).read_bytes())
        assert committed == _mo(compiled(mset.po(locale))), (
            f"{mset.mo(locale)} is stale: run `make i18n`"
        )
        assert committed, f"{mset.mo(locale)} is empty"


def test_locale_sets_are_those_of_spec_9():
    assert len(SETS["ui"].locales) == 14 and "zh_HK" not in SETS["ui"].locales
    assert len(SETS["redirect"].locales) == 38
    on_disk = {p.parent.parent.name for p in REDIRECT_DIR.glob("*/LC_MESSAGES/*.po")}
    assert on_disk == set(SETS["redirect"].locales)
    assert {p.parent.parent.name for p in UI_DIR.glob("*/LC_MESSAGES/*.po")} == set(
        SETS["ui"].locales
    )


def test_jp_is_generated_from_ja():
    mset = SETS["redirect"]
    assert mset.po("jp").read_bytes() == mset.po("ja").read_bytes()


# ---- t() --------------------------------------------------------------------


def test_t_falls_back_to_english_then_the_id(ui, web):
    assert ui.t("es", "login.sign-in") == "Iniciar sesión"
    assert ui.t("zz", "login.sign-in") == "Sign in"
    assert ui.t("es", "no.such.id") == "no.such.id"
    assert ui.t("es", "mfa.notice-required", "R").startswith("R ")
    assert "2026" in web.t("de", "report.test-date-help", min="2026-01-01", max="x")


def test_a_broken_translation_falls_back_to_english(ui):
    saved = ui.messages["es"]["mfa.notice-required"]
    ui.messages["es"]["mfa.notice-required"] = "%s %s"  # as a bad import would
    try:
        assert ui.t("es", "mfa.notice-required", "R").startswith("R requires")
    finally:
        ui.messages["es"]["mfa.notice-required"] = saved


# ---- locale choice ------------------------------------------------------------


def test_accept_language_is_ranked_by_q_and_malformed_entries_dropped():
    assert parse_accept_language("de;q=0.5, ja, fr;q=0.8") == ["ja", "fr", "de"]
    assert parse_accept_language("es;q=bogus, ;;, *, en") == ["en"]
    assert parse_accept_language("es;q=0, de;q=1.5, it;q=0.001") == ["it"]
    assert parse_accept_language("x" * 5000) == []
    assert parse_accept_language("<script>, de") == ["de"]


@pytest.mark.parametrize(
    ("lang", "header", "expected"),
    [
        ("de", "ja", "de"),  # the query parameter first
        (None, "fr;q=0.4, ja;q=0.9", "ja"),  # q-values
        ("de-AT", None, "de"),  # the matcher for a region we lack
        ("pt-BR", None, "pt"),
        ("tl", None, "fil"),  # Tagalog's modern code
        ("xx", "also-bad;;, ja", "ja"),  # an unknown lang falls to the header
        ("zh-TW", None, "en"),  # zh_HK is not a UI locale: English
        ("zh_HK", None, "en"),
        (None, "zh-HK, zh;q=0.5", "en"),
        ("", "", "en"),
        (None, "*", "en"),
    ],
)
def test_ui_locale_choice(ui, lang, header, expected):
    assert ui.choose(lang, header) == expected


@pytest.mark.parametrize(
    ("lang", "header", "expected"),
    [
        ("zh-TW", None, "zh_HK"),  # Traditional script
        ("zh-Hant", None, "zh_HK"),
        ("zh-hk", None, "zh_HK"),  # exact after xx-YY -> xx_YY
        ("zh", None, "zh_CN"),  # Simplified script
        ("zh-Hans", None, "zh_CN"),
        ("zh-SG", None, "zh_CN"),
        (None, "zh-TW,zh;q=0.9", "zh_HK"),
        ("jp", None, "jp"),  # the second Japanese directory, by name only
        ("ja-JP", None, "ja"),
        ("fa-IR", None, "fa"),
        ("sw-KE", "en", "sw"),
    ],
)
def test_web_view_locale_choice(web, lang, header, expected):
    assert web.choose(lang, header) == expected


def test_matcher_of_an_arbitrary_set():
    matcher = LocaleMatcher(["en", "es"])
    assert matcher.choose("es-MX", None) == "es"
    assert matcher.choose("ja", None) is None


def test_direction_and_html_language():
    assert [direction(x) for x in ("ar", "fa", "ps", "ur")] == ["rtl"] * 4
    assert direction("en") == direction("he") == "ltr"
    assert html_language("zh_HK") == "zh-HK"
    assert html_language("jp") == "ja"


# ---- formatting -------------------------------------------------------------------


def test_formatter_follows_the_locale():
    day = dt.date(2026, 3, 4)
    assert Formatter("en").date(day) == "Mar 4, 2026"
    assert Formatter("de").date(day) == "04.03.2026"
    assert Formatter("de").number(12345.5) == "12.345,5"
    assert Formatter("de").duration(900) == "15 Minuten"
    assert Formatter("ja").units(3, "day") == "3 日"
    assert Formatter("jp").date(day) == Formatter("ja").date(day)
    when = dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert Formatter("en").datetime(when, "short") == "3/4/26, 5:06\u202fAM"
    assert Formatter("en").date(None) == ""
    german = Formatter("de").percent(0.1234, decimals=1)
    assert german.startswith("12,3") and german.endswith("%")
    assert Formatter("en").percent(0.5) == "50%"


def _pending():
    path = ROOT / "tests" / "api" / "i18n_pending.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {tuple(line.split()) for line in lines if line and not line.startswith("#")}


def test_every_id_is_translated_unless_listed_as_pending():
    pending = _pending()
    untranslated = set()
    for name, mset in SETS.items():
        wanted = _template_ids(mset)
        for locale in mset.locales:
            catalogue = _po(mset.po(locale))
            untranslated |= {(name, i) for i in wanted if not catalogue.get(i)}
    assert untranslated <= pending, sorted(untranslated - pending)
    assert pending <= untranslated, (
        f"translated now, unlist: {sorted(pending - untranslated)}"
    )
