"""Explainers: one Markdown file per topic in content/explain/, all with the same sections."""

from __future__ import annotations

import re

from lambda_prep import paths
from lambda_prep.topics import TOPICS

SECTIONS = (
    "What it is",
    "How it works",
    "Numbers to know",
    "The 30-second interview answer",
    "Traps and outdated beliefs",
    "Follow-up questions",
    "Try it",
)


def available() -> list[tuple[str, str, bool]]:
    """(topic, one-line summary, has an explainer) for every topic."""
    folder = paths.explainers_dir()
    return [(name, summary, (folder / f"{name}.md").is_file()) for name, summary in TOPICS.items()]


def read(topic: str) -> str:
    return (paths.explainers_dir() / f"{topic}.md").read_text(encoding="utf-8")


def missing_sections(text: str) -> list[str]:
    """Sections absent or out of order (an explainer must have all, in SECTIONS order)."""
    found = [m.group(1).strip() for m in re.finditer(r"^## +(.+?)\s*$", text, flags=re.M)]
    positions = [found.index(s) if s in found else -1 for s in SECTIONS]
    missing = [s for s, p in zip(SECTIONS, positions) if p < 0]
    present = [p for p in positions if p >= 0]
    if present != sorted(present):
        missing.append("(sections out of order)")
    return missing
