"""Explainers: one Markdown file per topic in content/explain/, all with the same sections."""

from __future__ import annotations

import functools
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


@functools.lru_cache(maxsize=None)
def _lessons(topic: str) -> tuple[tuple[tuple[str, frozenset], ...], tuple[tuple[str, frozenset], ...]]:
    """(sections with their words, Try-it simulate commands with their words) of a topic's explainer."""
    from lambda_prep.search import sections, terms

    try:
        text = read(topic)
    except OSError:
        return (), ()
    parts = sections(text)
    teach = tuple((heading, frozenset(terms(body))) for heading, body in parts
                  if heading in ("How it works", "Numbers to know", "Traps and outdated beliefs"))
    try_it = next((body for heading, body in parts if heading == "Try it"), "")
    commands = tuple(dict.fromkeys(m.group(0).strip() for m in
                                   re.finditer(r"lambda-prep simulate [^`\n|#]+", try_it)))
    return teach, tuple((c, frozenset(terms(c))) for c in commands)


def lesson_for(question) -> tuple[str | None, str | None]:
    """The explainer section and the simulation command that best teach a question (by shared words)."""
    from lambda_prep.search import terms

    teach, commands = _lessons(question.topic)
    words = set(terms(" ".join([question.prompt, " ".join(question.tags), *question.answer])))

    def best(items):
        scored = [(len(words & item_words), -index, name) for index, (name, item_words) in enumerate(items)]
        return max(scored)[2] if scored else None

    return best(teach), best(commands)
