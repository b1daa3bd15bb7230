"""Pieces every simulation picture ends with or reuses."""

from __future__ import annotations

from typing import Sequence


def interview_footer(lines: Sequence[str], *, explain_topic: str, quiz_topic: str | None = None):
    """The closing box: what to say in the interview, and where to go next."""
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    for line in lines:
        body.append("• " + line + "\n")
    body.append("\nNext: ", style="bold")
    body.append(f"lambda-prep explain {explain_topic}")
    body.append("  ·  ")
    body.append(f"lambda-prep quiz --topic {quiz_topic or explain_topic}")
    return Panel(body, title="What to say in the interview", title_align="left", border_style="green")


def bar(fraction: float, width: int = 30, *, fill: str = "█", empty: str = "░") -> str:
    """A horizontal bar for a 0..1 fraction, in plain characters (readable when piped)."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = round(fraction * width)
    return fill * filled + empty * (width - filled)


def human_time(seconds: float) -> str:
    """250 ms, 12.3 s, 4 min 5 s, 24 h 0 min, 3 d 2 h."""
    seconds = max(0.0, float(seconds))
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    if seconds < 86400 * 3:
        hours, rest = divmod(round(seconds / 60), 60)
        return f"{hours} h {rest} min"
    days, rest = divmod(round(seconds / 3600), 24)
    return f"{days} d {rest} h"
