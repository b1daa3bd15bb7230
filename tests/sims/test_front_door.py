"""front-door: what the caller sees behind each door, and what Lambda bills, computed by hand."""

from __future__ import annotations

import pytest

from lambda_prep.sims import front_door as model
from lambda_prep.sims.common import ParamError


def _table(**kw):
    return model.run(model.Params(**kw), 1).table


def test_a_request_past_the_integration_timeout_gets_504_and_is_billed_in_full():
    table = _table()
    slow = table["rest"]["slow"]
    assert slow["status"] == 504 and slow["sure"] == "documented"
    assert slow["caller_waits_s"] == 29
    assert slow["billed_ms"] == 45_000  # the function ran on for 45 s after the caller gave up at 29 s
    data = model.run(model.Params(), 1).to_json()["results"]
    assert data["slow_request"]["cost_usd"] == pytest.approx(0.20 / 1e6 + 45 * 1.0 * 0.0000166667, abs=1e-9)


def test_billing_stops_at_the_function_timeout_and_rounds_up_to_the_ms():
    assert model.billed_ms(70, 60) == 60_000
    assert model.billed_ms(0.0012345, 3) == 2
    table = _table(duration_s=70)
    assert table["rest"]["slow"]["status"] == 504 and table["rest"]["slow"]["billed_ms"] == 60_000
    assert table["url"]["slow"]["status"] == 502 and table["url"]["slow"]["caller_waits_s"] == 60


def test_the_http_api_waits_up_to_30_s_and_doors_without_a_timeout_wait_for_the_function():
    table = _table(integration_timeout_s=30)
    assert table["http"]["slow"]["status"] == 503 and table["http"]["slow"]["caller_waits_s"] == 30
    assert table["http"]["slow"]["sure"] == "observed"
    assert table["rest"]["slow"]["caller_waits_s"] == 29  # the REST ceiling, unless raised on request
    for door in ("alb", "url"):
        assert table[door]["slow"]["status"] == 200 and table[door]["slow"]["caller_waits_s"] == 45
    fast = _table(duration_s=10)
    assert all(fast[door]["slow"]["status"] == 200 for door in model.DOORS)


def test_payload_limits_one_mb_alb_six_mb_buffered_two_hundred_mb_streamed():
    two_mb = _table(response_kb=2048)
    assert two_mb["alb"]["big"]["status"] == 502
    assert all(two_mb[door]["big"]["status"] == 200 for door in ("rest", "http", "url"))
    eight_mb = _table(response_kb=8 * 1024)
    assert all(eight_mb[door]["big"]["status"] == 502 for door in model.DOORS)
    streamed = _table(response_kb=8 * 1024, streaming=True)
    assert streamed["url"]["big"]["status"] == 200 and streamed["rest"]["big"]["status"] == 200
    assert streamed["http"]["big"]["status"] == 502 and streamed["alb"]["big"]["status"] == 502


def test_errors_and_throttles_as_api_gateway_documents_them():
    table = _table()
    assert table["rest"]["malformed"]["status"] == 502 and table["http"]["malformed"]["status"] == 200
    assert table["rest"]["error"]["status"] == 502 and table["rest"]["error"]["sure"] == "documented"
    lambda_throttle = table["rest"]["throttled-by-lambda"]
    assert lambda_throttle["status"] == 500 and lambda_throttle["billed_ms"] == 0
    front = table["rest"]["throttled-by-front-door"]
    assert front["status"] == 429 and front["billed_ms"] == 0
    assert table["alb"]["throttled-by-lambda"]["status"] is None  # not documented: not invented


def test_every_cell_says_how_sure_it_is():
    for door, cases in _table().items():
        assert set(cases) == set(model.CASES)
        for case, cell in cases.items():
            assert cell["sure"] in ("documented", "observed", "not documented", "n/a"), (door, case)


@pytest.mark.parametrize("field,value", [("integration_timeout_s", 31), ("integration_timeout_s", 0.01),
                                         ("timeout_s", 901), ("response_kb", 300_000)])
def test_bad_parameters(field, value):
    with pytest.raises(ParamError) as err:
        model.Params(**{field: value})
    assert field.replace("_", "-") in str(err.value)


def test_traffic_through_the_rest_api_matches_the_exponential_closed_form():
    # mean m = 10 s, REST timeout T = 29 s, function timeout t = 60 s:
    # P(504) = e^(-2.9) = 0.0550; billed after the caller left = 10 (e^(-2.9) - e^(-6)) = 0.5254 s a request
    result = model.run(model.Params(requests=200_000), 3)
    traffic = result.to_json()["results"]["traffic"]
    theory = model.traffic_theory(result.params)
    assert theory["gateway_timeout_ratio"] == pytest.approx(0.055023, abs=1e-6)
    assert theory["billed_after_caller_left_per_request_s"] == pytest.approx(0.525445, abs=1e-6)
    p, n = theory["gateway_timeout_ratio"], traffic["requests"]
    assert abs(traffic["gateway_timeout_ratio"] - p) < 4 * (p * (1 - p) / n) ** 0.5
    assert traffic["billed_after_caller_left_per_request_s"] == pytest.approx(0.5254, rel=0.05)


def test_a_function_timeout_below_the_integration_timeout_leaves_no_unseen_work():
    traffic = model.run(model.Params(timeout_s=25), 1).to_json()["results"]["traffic"]
    assert traffic["gateway_timeouts"] == 0 and traffic["billed_after_caller_left_s"] == 0
    assert traffic["function_timeouts"] > 0  # those callers get the function's error instead, and sooner
