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
    # one pointer per line: a command broken across lines cannot be copied
    body.append("\nNext:\n", style="bold")
    body.append(f"  lambda-prep explain {explain_topic}\n")
    body.append(f"  lambda-prep quiz --topic {quiz_topic or explain_topic}")
    for kind in drills_for(quiz_topic or explain_topic):
        body.append(f"\n  lambda-prep drill {kind}")
    return Panel(body, title="What to say in the interview", title_align="left", border_style="green")


def drills_for(topic: str) -> list[str]:
    """The drill kinds that practise a topic (names only: no drill or model is imported)."""
    from lambda_prep.drills.registry import KINDS

    return [k.name for k in KINDS if k.topic == topic]


def bar(fraction: float, width: int = 30, *, fill: str = "█", empty: str = "░") -> str:
    """A horizontal bar for a 0..1 fraction, in plain characters (readable when piped)."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = round(fraction * width)
    return fill * filled + empty * (width - filled)




def flat_json(result) -> dict:
    """A result's envelope flattened for views that read the JSON: the results, plus "params"."""
    envelope = result.to_json()
    return {**envelope["results"], "params": envelope["params"]}
