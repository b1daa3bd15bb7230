"""rds-proxy: connections track environments alive; the proxy pool is an M/M/c queue (Erlang-C, F6).

Tolerances are about 4 standard errors from the spread of independent replications.
"""

from __future__ import annotations

import json
import math
import statistics

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import rds_proxy as model
from lambda_prep.sims.common import ParamError, erlang_b

runner = CliRunner()
Z = 4.0


def test_direct_connections_are_environments_alive_and_a_burst_exhausts_them():
    r = model.run(model.Params(), 1)
    d = r.direct
    assert d.db_connections_avg == d.environments_avg and d.db_connections_peak == d.environments_peak
    assert d.db_connections_peak <= r.max_connections
    assert d.errors > 0  # the first burst needs more environments than max_connections allows
    assert d.db_connections_avg > 10 * d.busy_avg  # idle environments keep their connections
    assert d.succeeded + d.errors == d.requests


def test_proxy_caps_connections_at_the_pool_and_waits_replace_errors():
    r = model.run(model.Params(), 1)
    p = r.proxy
    assert p.db_connections_peak <= r.pool_size
    assert p.errors == 0 and p.waited > 0
    assert p.wait_ms["max"] < r.params["borrow_timeout_s"] * 1000
    assert p.succeeded + p.errors == p.accepted
    assert p.environments_peak > r.max_connections  # environments are not capped by the database


def test_pool_size_is_max_connections_percent_of_max_connections():
    assert model.Params(max_connections=100, max_connections_percent=50).pool_size == 50
    assert model.Params(max_connections=7, max_connections_percent=10).pool_size == 1


def test_borrow_timeout_turns_long_waits_into_errors():
    r = model.run(model.Params(max_connections=100, max_connections_percent=10, borrow_timeout_s=1), 1)
    p = r.proxy
    assert p.errors > 0
    assert p.wait_ms["max"] == pytest.approx(1000, abs=1)
    assert p.db_connections_peak <= 10


@pytest.mark.parametrize("c, rate", [(10, 8.0), (4, 3.0)])
def test_proxy_wait_probability_and_mean_wait_are_erlang_c(c, rate):
    """Poisson arrivals, exponential transactions of 1 s, no init (so the proxy sees Poisson
    arrivals), no borrow timeout: P(wait) = C(c, a) and mean wait Wq = C / (c mu - lambda)."""
    a = rate * 1.0
    b = erlang_b(c, a)
    rho = a / c
    p_wait = b / (1 - rho + rho * b)
    mean_wait = p_wait / (c - rate)
    waits, means = [], []
    for seed in range(1, 7):
        s = model.run_proxy(model.Params(pattern="poisson", arrival_rate=rate, duration_ms=1000,
                                         duration_dist="exp", init_ms=0, max_connections=c,
                                         borrow_timeout_s=0, requests=30_000), seed)
        waits.append(s.wait_ratio)
        means.append(s.wait_ratio * s.wait_ms["mean"] / 1000)
    for values, expected in ((waits, p_wait), (means, mean_wait)):
        se = statistics.stdev(values) / math.sqrt(len(values))
        assert abs(statistics.fmean(values) - expected) <= Z * se, (statistics.fmean(values), expected, se)


def test_lru_reuse_keeps_more_environments_and_connections_alive():
    kw = dict(pattern="poisson", arrival_rate=20.0, duration_ms=200, duration_dist="exp", requests=100_000,
              max_connections=1000)
    mru = model.run(model.Params(reuse="mru", **kw), 1).direct
    lru = model.run(model.Params(reuse="lru", **kw), 1).direct
    assert lru.db_connections_avg > mru.db_connections_avg


def test_same_seed_same_result():
    assert model.run(model.Params(), 5).to_json() == model.run(model.Params(), 5).to_json()


@pytest.mark.parametrize("kwargs, text", [
    ({"max_connections_percent": 0}, "1 to 100"),
    ({"borrow_timeout_s": 4000}, "from 0 to 3,600"),
    ({"max_connections": 0}, "--max-connections must be from 1"),
    ({"concurrency_limit": 901}, "100 that must stay unreserved"),
    ({"pattern": "poisson", "arrival_rate": 0}, "--arrival-rate must be"),
])
def test_bad_parameters_raise_with_the_range(kwargs, text):
    with pytest.raises(ParamError) as error:
        model.Params(**kwargs)
    assert text in str(error.value)


def test_cli_json_has_both_scenarios():
    result = runner.invoke(app, ["simulate", "rds-proxy", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("requests", "max_connections", "pool_size", "direct", "proxy"):
        assert key in data, key
    for key in ("errors", "db_connections_avg", "db_connections_peak", "environments_avg", "waited", "wait_ms"):
        assert key in data["direct"] and key in data["proxy"], key


def test_cli_bad_parameter_exits_2_with_the_range():
    result = runner.invoke(app, ["simulate", "rds-proxy", "--max-connections-percent", "150"])
    assert result.exit_code == 2, result.output
    assert "from 1 to 100" in result.output and "--help" in result.output


def test_cli_demo_renders_with_the_interview_footer():
    result = runner.invoke(app, ["simulate", "rds-proxy"])
    assert result.exit_code == 0, result.output
    assert "Without a proxy" in result.output and "With RDS Proxy" in result.output
    assert "What to say in the interview" in result.output
    assert "lambda-prep explain networking-storage" in result.output


def test_cli_help_lists_sources_and_assumptions():
    result = runner.invoke(app, ["simulate", "rds-proxy", "--help"])
    assert result.exit_code == 0
    assert "API_ConnectionPoolConfiguration.html" in result.output and "EXAMPLE" in result.output
    assert "Model assumptions" in result.output
