"""Text charts the simulation views share (drawing lives here, never in the models)."""

from __future__ import annotations

import math

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values, top: float | None = None) -> str:
    """One character per value, scaled to `top` (default: the largest value)."""
    values = list(values)
    if not values:
        return ""
    top = max(values) if top is None else top
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(" " if v <= 0 else SPARK[min(len(SPARK) - 1, int(v / top * (len(SPARK) - 1) + 0.5))]
                   for v in values)


def resample(samples: list, width: int, column: int, how: str = "max") -> list[float]:
    """Squeeze per-sample values (samples[i][column]) into `width` buckets (max or sum)."""
    if not samples:
        return []
    if len(samples) <= width:
        return [s[column] for s in samples]
    out = []
    for i in range(width):
        chunk = samples[i * len(samples) // width:(i + 1) * len(samples) // width] or [samples[-1]]
        values = [s[column] for s in chunk]
        out.append(max(values) if how == "max" else sum(values))
    return out


def timeline_rows(timeline: list, end: float, width: int, *, max_rows: int = 16) -> tuple[list[tuple[str, str]], float]:
    """A pool's recorded window (PoolStats.timeline, up to `end` s) drawn as text rows, one per
    environment: '▓' init/restore, '█' handler, '·' alive and idle, ' ' not alive.
    Returns ([(label, row)], seconds per column)."""
    if end <= 0 or width <= 0:
        return [], 0.0
    step = end / width
    rows = []
    for env in timeline[:max_rows]:
        cells = [" "] * width
        born = env["born"]
        gone = env["reclaimed"] if env["reclaimed"] is not None else end
        for i in range(width):
            mid = (i + 0.5) * step
            if born <= mid < gone:
                cells[i] = "·"
        for start, handler_start, stop in env["runs"]:
            stop = end if stop is None else stop
            _paint(cells, handler_start, stop, step, "█")
        for start, handler_start, stop in env["runs"]:  # init last: a cold start always shows
            _paint(cells, start, handler_start, step, "▓")
        label = f"{'P' if env['provisioned'] else 'E'}{env['id'] + 1:<3d}"
        rows.append((label, "".join(cells)))
    return rows, step


def _paint(cells: list[str], start: float, stop: float, step: float, char: str) -> None:
    if stop <= start:
        return
    first = int(start / step)
    last = max(first, math.ceil(stop / step) - 1)
    for i in range(max(0, first), min(len(cells), last + 1)):
        cells[i] = char
