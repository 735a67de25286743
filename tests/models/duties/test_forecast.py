import json
from pathlib import Path

import pytest

from models.duties import forecast
from models.duties.modeler import claim_ratios

VECTORS = json.loads(Path("/work/shared/spec/vectors.json").read_text())


@pytest.mark.parametrize(
    "case",
    VECTORS["modeler_forecast"]["entries"],
    ids=lambda case: f"{len(case['codes_issued_oldest_to_newest'])}rows",
)
def test_forecast_reproduces_the_protocol_vectors(case):
    model = forecast.fit(case["codes_issued_oldest_to_newest"])

    assert forecast.predict_raw(model) == pytest.approx(case["raw_prediction"], 1e-6)
    limit = forecast.predict(
        model, lo=case["modeler_min_value"], hi=case["modeler_max_value"]
    )
    assert limit == case["expected_abuse_prevention_limit"]


def test_forecast_fit_of_the_ramp_has_the_documented_line():
    model = forecast.fit(list(range(1, 21)))
    assert (model.intercept, model.slope, model.points) == pytest.approx((2, 1, 19))


def test_too_few_rows_is_no_model():
    assert forecast.fit([5] * 13) is None


def test_rounding_is_half_away_from_zero_and_negative_becomes_floor():
    assert forecast.round_half_away(2.5) == 3
    assert forecast.round_half_away(-2.5) == -3
    falling = forecast.fit(list(range(200, -1, -10)))
    assert forecast.predict_raw(falling) < 0
    assert forecast.predict(falling, lo=10, hi=100) == 10


@pytest.mark.parametrize(
    "case", VECTORS["quota_effective_limit"]["entries"], ids=lambda c: str(c)
)
def test_effective_limit_vectors(case):
    got = forecast.effective_limit(
        case["abuse_prevention_limit"], case["abuse_prevention_limit_factor_float32"]
    )
    assert got == case["expected_effective_limit"]


def test_float32_factor_loses_a_hundredth_like_the_original():
    assert forecast.effective_limit(100, "1.15") == 114


GROWING = [
    (5, 4), (29, 27), (28, 25), (27, 25), (26, 24), (25, 24), (24, 24), (23, 18),
    (22, 18), (21, 18), (20, 15), (19, 15), (18, 15), (17, 15), (16, 15), (15, 15),
]  # fmt: skip
DECLINING = [
    (1, 0), (2, 1), (4, 2), (8, 4), (8, 8), (9, 8), (10, 9), (14, 10), (16, 14),
    (18, 16), (22, 18), (38, 22), (54, 38), (55, 54), (56, 55), (58, 56),
]  # fmt: skip


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([(1, 1)] * 16, (1, 1, 0)),
        (GROWING, (0.931034, 0.882318, 0.077307)),
        (DECLINING, (0.5, 0.806955, 0.171171)),
    ],
)
def test_claim_ratio_vectors(days, expected):
    padded = days + [(0, 0)] * (91 - len(days))
    ratios = claim_ratios(padded)
    assert (ratios.last, ratios.mean, ratios.stddev) == pytest.approx(
        expected, abs=1e-4
    )


def test_claim_ratio_with_no_history_is_skipped():
    assert claim_ratios([(0, 0)] * 16) is None


def test_declining_realm_is_anomalous():
    assert claim_ratios(DECLINING).anomalous(1.0)
    assert not claim_ratios(GROWING).anomalous()
