"""What a question is, once a bank has been validated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

QUESTION_TYPES = ("single", "multi", "true-false", "recall")
TRUE_FALSE_CHOICES = ("True", "False")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    topic: str
    type: str
    prompt: str
    explanation: str
    sources: tuple[str, ...]
    last_verified: str  # ISO date
    difficulty: int
    choices: tuple[str, ...] = ()  # true-false questions get ("True", "False")
    answer: tuple[str, ...] = ()  # the right choices; empty for recall
    model_answer: str = ""  # recall only
    key_points: tuple[str, ...] = ()  # recall only
    syllabus: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    myth: bool = False
    origin: str = ""  # "path:line", to point an author at the question

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        tuples = ("sources", "choices", "answer", "key_points", "syllabus", "tags")
        return cls(**{k: tuple(v) if k in tuples else v for k, v in data.items()})


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a bank, at a place an editor can jump to."""

    path: str
    line: int
    col: int
    message: str = field(compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
