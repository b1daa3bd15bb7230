"""What every simulation shares: parameter checks, seeded randomness, summary statistics."""

from __future__ import annotations

import math
import random
from typing import Sequence

from lambda_prep.errors import UsageError


class ParamError(UsageError, ValueError):
    """A parameter outside its valid range (exit 2). The message says the range and why."""


def check_range(name: str, value: float, low: float, high: float | None = None, *, why: str = "",
                or_value: float | None = None) -> None:
    """Raise ParamError unless low <= value <= high (high None: no upper bound), or value == or_value
    (a special value outside the range, such as 0 = "all at once" or -1 = "no limit")."""
    if or_value is not None and value == or_value:
        return
    if value is None or (isinstance(value, float) and math.isnan(value)) or value < low or (high is not None and value > high):
        span = f"at least {_fmt(low)}" if high is None else f"from {_fmt(low)} to {_fmt(high)}"
        if or_value is not None:
            span = f"{_fmt(or_value)} or {span}"
        reason = f" ({why})" if why else ""
        raise ParamError(f"--{name.replace('_', '-')} must be {span}, got {_fmt(value)}{reason}")


def _fmt(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def check_choice(name: str, value: str, choices: tuple) -> None:
    if value not in choices:
        raise ParamError(f"--{name} must be one of {', '.join(choices)}, got {value!r}")


def rng(seed: int | None) -> random.Random:
    """A private generator: a simulation never touches the global random state."""
    return random.Random(seed)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100); 0.0 when empty."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of an M/G/c/c system (stable recursion)."""
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking
