"""The review heatmap: one column per week, every month labelled, intensity readable without colour."""

from __future__ import annotations

import datetime as dt

from lambda_prep.views.stats import HEAT_LEVELS, heatmap


def days(end: dt.date, weeks: int, reviews: dict | None = None) -> list[dict]:
    first = end - dt.timedelta(days=weeks * 7 - 1)
    return [{"date": (first + dt.timedelta(days=i)).isoformat(),
             "reviews": (reviews or {}).get(first + dt.timedelta(days=i), 0)} for i in range(weeks * 7)]


def test_every_month_in_the_window_is_labelled():
    text = heatmap(days(dt.date(2026, 11, 22), 26)).plain
    header = text.splitlines()[1]
    assert header.split() == ["May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]


def test_rows_are_weekdays_and_busier_days_are_darker():
    end = dt.date(2026, 11, 22)  # a Sunday
    text = heatmap(days(end, 4, {end: 30, end - dt.timedelta(days=1): 3})).plain
    rows = text.splitlines()[2:9]
    assert rows[0].startswith("Mon") and rows[6].startswith("Sun")
    assert rows[6].rstrip().endswith(HEAT_LEVELS[4] * 2)  # the busiest day
    assert HEAT_LEVELS[1] * 2 in rows[5]  # Saturday: a little


def test_a_long_calendar_fits_a_narrow_terminal_by_showing_the_latest_weeks():
    end = dt.date(2026, 11, 22)
    wide = heatmap(days(end, 52, {end: 5}), 200).plain
    narrow = heatmap(days(end, 52, {end: 5}), 80).plain
    assert "last 52 weeks" in wide and "wider terminal" not in wide
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "wider terminal shows more" in narrow
    assert narrow.splitlines()[8].rstrip().endswith(HEAT_LEVELS[4] * 2)  # today (the busiest) is still there
