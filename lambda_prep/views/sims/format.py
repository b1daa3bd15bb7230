"""The one place simulation views turn numbers into text: durations, money, counts, percentages.

Every view formats through these, so the same quantity reads the same in every picture.
"""

from __future__ import annotations


def duration(seconds: float, *, ms_below: float = 1.0) -> str:
    """250 ms, 12.3 s, 4 min 5 s, 24 h 10 min, 3 d 2 h. Below `ms_below` seconds: milliseconds."""
    seconds = max(0.0, float(seconds))
    if seconds < ms_below:
        ms = seconds * 1000
        if ms < 10 and not float(ms).is_integer():
            return f"{ms:.1f} ms"
        return f"{ms:,.0f} ms"
    if seconds < 60:
        text = f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}"
        return text.removesuffix(".0") + " s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    if seconds < 86400 * 3:
        hours, rest = divmod(round(seconds / 60), 60)
        return f"{hours:,} h" + (f" {rest} min" if rest else "")
    days, rest = divmod(round(seconds / 3600), 24)
    return f"{days:,} d" + (f" {rest} h" if rest else "")


def ms(milliseconds: float) -> str:
    """A latency: milliseconds up to 10 s (p99 1,250 ms reads better than 1.2 s), then as duration()."""
    return duration(milliseconds / 1000, ms_below=10.0)


def money(usd: float, *, short: bool = False) -> str:
    """$0, $0.000123, $12.34, $1,234.56; short: $5, $1.5k (chart axes)."""
    if short:
        return f"${usd / 1000:g}k" if usd >= 1000 else f"${usd:g}"
    if usd == 0:
        return "$0"
    if abs(usd) < 0.01:
        return f"${usd:.6f}"
    return f"${usd:,.2f}"


def count(n: float) -> str:
    """1,234 (whole numbers), 12.5 (fractions)."""
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def percent(ratio: float) -> str:
    """0%, 0.012%, 4.5%, 17%: more digits for small shares so they never read as 0."""
    if ratio == 0:
        return "0%"
    if ratio < 0.001:
        return f"{ratio * 100:.3f}%"
    return f"{ratio * 100:.1f}%" if ratio < 0.1 else f"{ratio * 100:.0f}%"
