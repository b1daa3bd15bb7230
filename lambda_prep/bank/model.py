"""What a question is, once a bank has been validated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

QUESTION_TYPES = ("single", "multi", "true-false", "recall")
TRUE_FALSE_CHOICES = ("True", "False")


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The question an interviewer asks next, after a recall question's main answer."""

    prompt: str
    model_answer: str
    key_points: tuple[str, ...]
    phrasings: tuple[tuple[str, ...], ...] = ()  # per key point: other ways a right answer says it
    premise: int = 0  # 1-based key point of the main question it drills into; 0 = always askable

    @classmethod
    def from_dict(cls, data: dict) -> FollowUp:
        return cls(prompt=data["prompt"], model_answer=data["model_answer"],
                   key_points=tuple(data["key_points"]),
                   phrasings=tuple(tuple(p) for p in data["phrasings"]), premise=data["premise"])


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
    # Recall only, one entry per key point (empty when the bank gives none): the other phrasings
    # (synonyms, figures written another way) a typed answer may use for that point.
    phrasings: tuple[tuple[str, ...], ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()  # recall only
    syllabus: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    myth: bool = False
    origin: str = ""  # "path:line", to point an author at the question

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        tuples = ("sources", "choices", "answer", "key_points", "syllabus", "tags")
        values = {k: tuple(v) if k in tuples else v for k, v in data.items()}
        values["phrasings"] = tuple(tuple(p) for p in data.get("phrasings", ()))
        values["follow_ups"] = tuple(FollowUp.from_dict(f) for f in data.get("follow_ups", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a bank, at a place an editor can jump to."""

    path: str
    line: int
    col: int
    message: str = field(compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
