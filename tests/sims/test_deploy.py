"""deploy: CodeDeploy's traffic shifting, the alarm and the rollback, against hand-computed exposure."""

from __future__ import annotations

import pytest

from lambda_prep.sims import deploy as model
from lambda_prep.sims.common import ParamError


def test_the_nine_predefined_configurations():
    assert len(model.CONFIGS) == 9
    shifts = {name: model.Params(config=name).shift_s() for name in model.CONFIGS}
    assert shifts["LambdaCanary10Percent5Minutes"] == 300
    assert shifts["LambdaCanary10Percent30Minutes"] == 1800
    assert shifts["LambdaLinear10PercentEvery1Minute"] == 9 * 60  # 10 % now, 100 % after nine more steps
    assert shifts["LambdaLinear10PercentEvery10Minutes"] == 90 * 60
    assert shifts["LambdaAllAtOnce"] == 0
    assert model.Params(config="CodeDeployDefault.lambdacanary10percent5minutes").config == \
        "LambdaCanary10Percent5Minutes"


def test_weights_step_as_configured():
    canary = model.Params(config="LambdaCanary10Percent5Minutes")
    assert [model.weight(canary, t) for t in (0, 299, 300)] == [0.1, 0.1, 1.0]
    linear = model.Params(config="LambdaLinear10PercentEvery1Minute")
    assert [model.weight(linear, t) for t in (0, 59, 60, 120, 540, 900)] == \
        pytest.approx([0.1, 0.1, 0.2, 0.3, 1.0, 1.0])
    assert model.weight(model.Params(config="LambdaAllAtOnce"), 0) == 1.0


def test_a_canary_caught_in_its_first_minute_exposed_ten_percent_of_a_minute():
    # 20 requests/s, 10 % to the new version for the first minute: 0.1 x 20 x 60 = 120 requests, then rollback
    prm = model.Params(new_error_rate=1.0, alarm_threshold=5)
    expected = model.expected(prm)
    assert expected["status"] == "rolled back: alarm" and expected["alarm_at_s"] == 60
    assert expected["exposed"] == pytest.approx(120) and expected["bad"] == pytest.approx(120)
    assert expected["exposed_share_of_deployment"] == pytest.approx(0.1)
    result = model.run(prm, 4)
    assert result.alarm_at_s == 60 and result.status == "rolled back: alarm"
    sd = (20 * 60 * 0.1 * 1.1) ** 0.5  # Poisson arrivals thinned to 10 %: variance about the mean
    assert abs(result.on_new - 120) < 5 * sd
    assert result.errors_new == result.on_new  # every request to the bad version failed


def test_a_healthy_canary_exposes_a_quarter_of_the_deployment_by_hand():
    # 10 % for 300 s, then 100 % during the 60-s post-traffic hook: 20 x (30 + 60) = 1,800 of 20 x 360 requests
    prm = model.Params(new_error_rate=0.001)
    expected = model.expected(prm)
    assert expected["status"] == "succeeded" and expected["alarm_at_s"] is None
    assert expected["exposed"] == pytest.approx(1800) and expected["exposed_share_of_deployment"] == pytest.approx(0.25)
    result = model.run(prm, 2)
    assert result.status == "succeeded"
    assert abs(result.on_new / result.during - 0.25) < 0.03


def test_all_at_once_exposes_everyone_until_the_alarm():
    expected = model.expected(model.Params(config="LambdaAllAtOnce"))
    assert expected["alarm_at_s"] == 60 and expected["exposed"] == pytest.approx(20 * 60)
    assert expected["exposed_share_of_deployment"] == 1.0


def test_the_comparison_ranks_canaries_below_all_at_once():
    rows = {row["config"]: row for row in model.run(model.Params(), 1).to_json()["results"]["comparison"]}
    assert rows["LambdaCanary10Percent5Minutes"]["bad"] < rows["LambdaAllAtOnce"]["bad"]
    assert rows["LambdaCanary10Percent5Minutes"]["exposed"] == pytest.approx(0.1 * 20 * 60)


def test_hooks_fail_the_deployment():
    result = model.run(model.Params(pre_hook="fail"), 1)
    assert result.status == "failed: pre-traffic hook" and result.on_new == 0
    result = model.run(model.Params(new_error_rate=0.001, post_hook="fail"), 1)
    assert result.status == "rolled back: post-traffic hook" and result.ended_at_s == 360
    after = [row for row in result.series if row["t"] >= 360 + result.bucket_s]
    assert after and all(row["on_new"] == 0 for row in after)  # the alias points back to the old version


def test_without_the_alarm_nothing_stops_a_bad_version():
    result = model.run(model.Params(alarm=False), 1)
    assert result.status == "succeeded" and result.alarm_at_s is not None
    assert result.series[-1]["weight"] == 1.0


@pytest.mark.parametrize("field,value", [("config", "LambdaCanary5Percent"), ("new_error_rate", 2),
                                         ("alarm_threshold", 0), ("pre_hook", "maybe")])
def test_bad_parameters(field, value):
    with pytest.raises(ParamError) as err:
        model.Params(**{field: value})
    assert field.replace("_", "-") in str(err.value)


def test_same_seed_same_result():
    assert model.run(model.Params(), 9).to_json() == model.run(model.Params(), 9).to_json()
