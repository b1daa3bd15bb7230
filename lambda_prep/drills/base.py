"""What a drill is: a scenario drawn at random, a question about it, and the model's answer.

One contract for every kind: a module with KIND, TOPIC, SUMMARY and `generate(rng) -> Drill`,
listed in drills/registry.py. The keyed answer is computed by the simulation's own model or its
closed form (never written down), and each wrong choice names the misconception it encodes.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Drill:
    kind: str
    topic: str
    seed: int
    params: dict
    prompt: str
    answer: str  # the right choice's text, or the number as the learner would type it
    explanation: str  # the reasoning an interviewer wants to hear: the rule and the arithmetic
    simulate: str  # the `lambda-prep simulate ...` command that shows this very scenario
    choices: tuple[str, ...] = ()  # empty: a numeric answer, typed
    misconceptions: dict[str, str] = field(default_factory=dict)  # wrong choice -> the misconception it encodes
    value: float | None = None  # numeric drills: the keyed value
    tolerance: float = 0.0  # numeric drills: accepted relative error (0.05 = within 5%)
    tolerance_why: str = ""
    unit: str = ""
    # Files the simulate command reads (name -> text), written to a folder the command names as {dir}.
    files: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the AWS pages the rule comes from

    @property
    def id(self) -> str:
        return f"drill-{self.kind}-{self.seed}"

    def check(self, given: str) -> tuple[bool, str | None]:
        """(correct, the misconception a wrong answer matches, if any)."""
        if self.choices:
            return given == self.answer, self.misconceptions.get(given)
        number = parse_number(given)
        if number is None or self.value is None:
            return False, None
        return within(number, self.value, self.tolerance), None

    def simulate_in(self, folder) -> str:
        """The simulate command, with {dir} replaced by the folder holding this drill's files."""
        return self.simulate.replace("{dir}", str(folder))

    def to_json(self, given: str | None = None, folder=None) -> dict:
        data = {"id": self.id, "kind": self.kind, "topic": self.topic, "params": self.params, "prompt": self.prompt,
                "choices": list(self.choices) or None, "answer": self.answer, "explanation": self.explanation,
                "simulate": self.simulate_in(folder) if folder is not None else self.simulate,
                "sources": list(self.sources)}
        if not self.choices:
            data.update(value=self.value, unit=self.unit, tolerance=self.tolerance, tolerance_why=self.tolerance_why)
        if given is not None:
            correct, misconception = self.check(given)
            data.update(given=given, correct=correct, misconception=misconception)
        return data


def within(number: float, target: float, tolerance: float) -> bool:
    if target == 0:
        return abs(number) <= tolerance
    return abs(number - target) <= tolerance * abs(target) + 1e-9


_SUFFIX = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}


def parse_number(text: str) -> float | None:
    """'1,234', '1234.5', '12k', '$3.40', '27%' (as 27), '1.2 million' -> a float; None if not a number."""
    match = re.fullmatch(r"\s*\$?\s*(-?[\d,]*\.?\d+)\s*(k|m|thousand|million)?\s*(%|\w+)?\s*", text.lower())
    if not match:
        return None
    try:
        number = float(match.group(1).replace(",", ""))
    except ValueError:
        return None
    return number * _SUFFIX.get(match.group(2) or "", 1.0)


def options(rng: random.Random, right: str, wrong: dict[str, str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Shuffled choices: the right one and the distinct wrong ones, each with its misconception."""
    wrong = {text: why for text, why in wrong.items() if text != right}
    choices = [right, *wrong]
    rng.shuffle(choices)
    return tuple(choices), wrong


def count(value: float) -> str:
    """A count as an interviewer would say it: 1,234 (whole numbers), 12.5 below 100."""
    if value >= 100 or float(value).is_integer():
        return f"{round(value):,}"
    return f"{value:.1f}"


def money(value: float) -> str:
    return f"${value:,.2f}"


def pick(rng: random.Random, values):
    return values[rng.randrange(len(values))]


def distinct(values: dict[str, str], right: str, tolerance: float = 0.0) -> dict[str, str]:
    """Drop wrong numeric choices that are the right figure written the same way or within tolerance."""
    def num(text: str) -> float | None:
        match = re.search(r"\$?-?[\d,]*\.?\d+", text)
        return parse_number(match.group(0)) if match else None

    taken = [num(right)]
    out = {}
    for text, why in values.items():
        n = num(text)
        if text == right or text in out:
            continue
        if n is not None and any(t is not None and within(n, t, max(tolerance, 0.005)) for t in taken):
            continue  # the same figure as the answer or as a wrong choice already kept
        taken.append(n)
        out[text] = why
    return out


def nonzero_log(x: float) -> float:
    return math.log10(max(x, 1e-12))
