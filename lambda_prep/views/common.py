"""Small formatting helpers shared by the views."""

from __future__ import annotations

import datetime as dt


def until(moment: dt.datetime, now: dt.datetime) -> str:
    """'now', 'in 10 min', 'in 3 h', 'in 2 days', 'in 3 months'."""
    seconds = (moment - now).total_seconds()
    if seconds < 30:
        return "now"
    return "in " + span(max(seconds, 60))


def span(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)} min"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 60:
        return f"{round(days)} day{'s' if round(days) != 1 else ''}"
    return f"{round(days / 30)} months"


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %H:%M")
