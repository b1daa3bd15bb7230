"""Fitting the 21 FSRS-6 weights to the learner's review log, offline, as Anki's Optimize does.

The fit is fsrs-rs's own (`fsrs-rs-python`, the Rust reference implementation that Anki runs:
a 585 KB wheel with no Python dependencies). It is an optional extra, imported only here:
`pip install "lambda-prep[optimize]"`. Scheduling stays with py-fsrs; a test holds both to the
same intervals for the same weights.

- Items are built as fsrs-rs's examples/train_csv.py does: per question, its reviews by study day
  (delta_t = days since the previous review, 0 the same day); one item for each review that comes
  a day or more after the previous one, holding the history up to it.
- The newest 20% of items (by date) are held back; the weights fitted on the rest must predict
  them better (log loss, as Anki's evaluate reports it, with the RMSE of binned recall) than the
  weights in use now, or nothing changes. The weights kept are the ones judged: refitting them on
  every item would make the next comparison unfair (they would be scored on reviews they were
  fitted to).
- Below MIN_ITEMS items the fit is declined and the defaults stay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

from lambda_prep.study.scheduler import study_day

# Reviews a day or more after the previous one of the same question. Anki asked for 400 review logs
# before it fits (dae, ankitects/anki#2999); fsrs-rs itself fits only w0-w3 below 64 items
# (src/training.rs); and 20% of 400 leaves 80 held-back items to judge the fit on.
MIN_ITEMS = 400
HELD_BACK = 0.2
INSTALL_HINT = 'pip install "lambda-prep[optimize]"  (adds fsrs-rs-python, a 585 KB wheel with no dependencies)'


class OptimizerMissing(Exception):
    """fsrs-rs-python is not installed."""


@dataclass
class Fit:
    reviews: int
    items: int
    accepted: bool
    reason: str
    weights: list[float] | None = None  # the new weights when accepted
    before: dict = field(default_factory=dict)  # {"log_loss", "rmse"} of the weights in use, held-back items
    after: dict = field(default_factory=dict)  # the same for the fitted weights
    train_items: int = 0
    test_items: int = 0


def items_from_log(rows: Sequence[tuple[str, int, dt.datetime, int]], day_start_hour: int = 4):
    """(question_id, rating, reviewed_at, state_before) oldest first -> [(last day, [(rating, delta_t)...])].

    Questions whose first logged answer was not their first ever (state_before != 0) are left out:
    their history is incomplete.
    """
    by_question: dict[str, list[tuple[int, dt.date]]] = {}
    broken: set[str] = set()
    for qid, rating, at, state_before in rows:
        if qid not in by_question and state_before != 0:
            broken.add(qid)
        by_question.setdefault(qid, []).append((rating, study_day(at, day_start_hour)))
    items = []
    for qid, reviews in by_question.items():
        if qid in broken:
            continue
        history: list[tuple[int, int]] = []
        previous = None
        for rating, day in reviews:
            delta = 0 if previous is None else (day - previous).days
            history.append((rating, delta))
            previous = day
            if len(history) > 1 and delta > 0:
                items.append((day, list(history)))
    items.sort(key=lambda item: item[0])
    return items


def _load():
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizerMissing(f"fitting needs fsrs-rs-python: {INSTALL_HINT}") from None
    return fsrs_rs_python


def within_py_fsrs(weights: Sequence[float]) -> list[float]:
    """The weights clamped to py-fsrs's bounds: the scheduler refuses any outside them, and
    fsrs-rs's own bounds are not guaranteed to be the same."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return [min(max(float(w), low), high) for w, low, high in zip(weights, LOWER_BOUNDS_PARAMETERS,
                                                                  UPPER_BOUNDS_PARAMETERS)]


def _evaluate(lib, weights: Sequence[float], items) -> dict:
    result = lib.FSRS(list(weights)).evaluate(items)
    return {"log_loss": round(result.log_loss, 4), "rmse": round(result.rmse_bins, 4)}


def fit(rows: Sequence[tuple[str, int, dt.datetime, int]], current: Sequence[float], *,
        day_start_hour: int = 4) -> Fit:
    """Fit the weights to the log; accept them only if they beat `current` on held-back reviews."""
    lib = _load()
    built = items_from_log(rows, day_start_hour)
    if len(built) < MIN_ITEMS:
        return Fit(len(rows), len(built), False,
                   f"{len(built)} reviews a day or more after the previous one of the same question; the fit "
                   f"needs {MIN_ITEMS} (about {MIN_ITEMS * 2} answers in all at this tool's pace) to be "
                   f"trusted, so the current weights stay")

    def to_items(chunk):
        return [lib.FSRSItem([lib.FSRSReview(r, d) for r, d in history]) for _, history in chunk]

    cut = int(len(built) * (1 - HELD_BACK))
    train, test = to_items(built[:cut]), to_items(built[cut:])
    fitted = within_py_fsrs(lib.FSRS(list(lib.DEFAULT_PARAMETERS)).compute_parameters(train))
    before, after = _evaluate(lib, current, test), _evaluate(lib, fitted, test)
    result = Fit(len(rows), len(built), False, "", before=before, after=after, train_items=len(train),
                 test_items=len(test))
    if after["log_loss"] >= before["log_loss"]:
        result.reason = "the fitted weights do not predict the held-back reviews better than the weights in use"
        return result
    result.accepted = True
    result.reason = "the fitted weights predict the held-back reviews better than the weights in use"
    result.weights = fitted
    return result
