"""Model refusals reach case workers in their language (issue 17).

The JSON keeps ``errorCode`` as the protocol has it; only ``error`` is
worded for the page's locale. English pages keep the model's own texts.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from types import SimpleNamespace

import pytest

from api.common.i18n import Formatter
from models.accounts import signin
from models.accounts.passwords import Rule, RuleBreak
from models.codes.core import date_window
from models.errors import DomainError, ErrorCode, Reason
from ui.i18n import load_catalogues
from ui.refusals import CODE_TEXTS, domain_error_text, refusal_text


def _issue(client, lang=None, **body):
    headers = {"Accept": "application/json", "X-CSRF-Token": client.csrf}
    if lang:
        headers["Accept-Language"] = lang  # what app.js sends: the page's lang
    return client.request(
        "POST",
        "/codes/issue",
        json={"testType": "confirmed", **body},
        headers=headers,
    )


def test_bad_phone_is_refused_in_spanish_with_the_code_unchanged(signed_in):
    spanish = _issue(signed_in, "es", phone="not a phone")
    assert spanish.status_code == 400
    assert spanish.json == {
        "error": "El número de teléfono no es válido.",
        "errorCode": "phone_number_invalid",
    }
    english = _issue(signed_in, phone="not a phone")
    assert english.json["errorCode"] == "phone_number_invalid"
    assert english.json["error"].startswith("phonenumbers.Parse: ")


def test_date_outside_the_window_names_the_bounds_in_spanish(
    signed_in, clock, ui_services
):
    old = (clock.now() - dt.timedelta(days=40)).date().isoformat()
    spanish = _issue(signed_in, "es-MX", symptomDate=old)
    assert spanish.status_code == 400
    assert spanish.json["errorCode"] == "invalid_date"
    days = ui_services.settings.codes.allowed_past_symptom_days
    lowest, highest = date_window(clock.now(), days)
    es = Formatter("es")  # the bounds are dates the Spanish way, not ISO
    assert spanish.json["error"] == (
        "La fecha de inicio de los síntomas debe ser igual o posterior al "
        f"{es.date(lowest)} e igual o anterior al {es.date(highest)}."
    )
    english = _issue(signed_in, symptomDate=old)
    assert english.json["errorCode"] == "invalid_date"
    assert english.json["error"].startswith("symptom onset date must be on/after ")


def test_unreadable_date_and_missing_type_in_spanish(signed_in):
    bad = _issue(signed_in, "es", testDate="2026-13-45")
    assert bad.json == {
        "error": "La fecha de la prueba no es una fecha válida.",
        "errorCode": "unparsable_request",
    }
    odd = _issue(signed_in, "es", testType="bogus")
    assert odd.json == {
        "error": "El tipo de prueba no es válido.",
        "errorCode": "invalid_test_type",
    }


def test_the_lang_parameter_also_chooses_the_language(signed_in):
    result = signed_in.request(
        "POST",
        "/codes/issue?lang=es",
        json={"testType": "confirmed", "phone": "x"},
        headers={"Accept": "application/json", "X-CSRF-Token": signed_in.csrf},
    )
    assert result.json["error"] == "El número de teléfono no es válido."


def test_batch_rows_and_summary_in_spanish(signed_in):
    rows = [
        {"phone": "not a phone", "testType": "confirmed"},
        {"testType": "confirmed"},
    ]
    headers = {
        "Accept": "application/json",
        "Accept-Language": "es",
        "X-CSRF-Token": signed_in.csrf,
    }
    result = signed_in.request(
        "POST", "/codes/batch-issue", json={"codes": rows}, headers=headers
    )
    assert result.status_code == 400
    bad, good = result.json["codes"]
    assert bad == {
        "error": "El número de teléfono no es válido.",
        "errorCode": "phone_number_invalid",
    }
    assert good["code"]
    assert result.json["error"] == "Códigos no emitidos: 1. Códigos emitidos: 1."
    assert result.json["errorCode"] == "phone_number_invalid"
    english = signed_in.json("/codes/batch-issue", {"codes": rows[:1]})
    assert english.json["error"] == (
        "Failed to issue 1 codes.See each error status in the codes array."
    )


def test_password_rules_in_spanish(signed_in, demo):
    weak = signed_in.form(
        "/login/change-password?lang=es",
        {
            "current_password": demo.realm_admin["password"],
            "password": "abc",
            "password_confirm": "abd",
        },
    )
    assert weak.status_code == 422
    assert "la contraseña debe tener al menos 8 caracteres; " in weak.text
    assert "la contraseña debe contener al menos 1 letras mayúsculas" in weak.text
    assert "las contraseñas no coinciden" in weak.text
    assert "password must" not in weak.text


def test_wrong_totp_code_in_spanish(signed_in):
    result = signed_in.form(
        "/login/register-phone?lang=es", {"display_name": "x", "code": "000000"}
    )
    assert result.status_code == 422
    assert "El código no coincide. Revise la hora de su dispositivo." in result.text


def test_reset_page_without_token_in_spanish(browser):
    page = browser.get("/login/manage-account?mode=resetPassword&lang=es")
    assert "Falta el token para restablecer la contraseña." in page.text


# ---- the fallbacks ----------------------------------------------------------


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogues()


def _ctx(catalogs, locale):
    return SimpleNamespace(
        locale=locale, translated=partial(catalogs.translated, locale)
    )


def test_unknown_codes_and_untranslated_texts_keep_the_model_english(catalogs):
    assert ErrorCode.CODE_INVALID not in CODE_TEXTS  # a device-API code
    unknown = DomainError("verification code invalid", ErrorCode.CODE_INVALID)
    assert domain_error_text(_ctx(catalogs, "es"), unknown) == unknown.message
    phone = DomainError("phonenumbers.Parse: x", ErrorCode.PHONE_NUMBER_INVALID)
    assert domain_error_text(_ctx(catalogs, "en"), phone) == phone.message
    # A locale whose catalogue lacks the id: English from the model, not the id.
    saved = catalogs.messages["de"].pop("codes.error.phone_number_invalid", None)
    try:
        assert domain_error_text(_ctx(catalogs, "de"), phone) == phone.message
    finally:
        if saved is not None:
            catalogs.messages["de"]["codes.error.phone_number_invalid"] = saved


def test_reason_wins_over_code_and_params_are_formatted(catalogs):
    too_many = DomainError(
        "batch size limit [10] exceeded",
        reason=Reason.BATCH_TOO_LARGE,
        params={"limit": 10},
    )
    assert domain_error_text(_ctx(catalogs, "es"), too_many) == (
        "Se pueden emitir como máximo 10 códigos por solicitud."
    )


def test_half_translated_password_rules_stay_english(catalogs):
    ex = signin.SigninError(
        signin.SigninReason.PASSWORD_RULES,
        [RuleBreak(Rule.MIN_LENGTH, 8), RuleBreak(Rule.MISMATCH)],
    )
    assert refusal_text(_ctx(catalogs, "es"), ex) == (
        "la contraseña debe tener al menos 8 caracteres; las contraseñas no coinciden"
    )
    saved = catalogs.messages["es"].pop("password.rule.mismatch")
    try:
        assert refusal_text(_ctx(catalogs, "es"), ex) == str(ex)
    finally:
        catalogs.messages["es"]["password.rule.mismatch"] = saved
    assert str(ex) == (
        "password must be at least 8 characters long; passwords do not match"
    )
