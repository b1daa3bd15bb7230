"""The learner's settings, defined once: name, type, range, default and meaning.

`config` shows and checks them from here, the store fills in their defaults from here, and the
quiz and the scheduler read them parsed and range-checked from here. Adding a setting means adding
one line to SETTINGS and one field to Settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from lambda_prep.errors import UsageError


@dataclass(frozen=True)
class Setting:
    name: str  # as the learner types it: lambda-prep config new-per-day 30
    key: str  # as the store keeps it (and the Settings field)
    kind: type  # int or float
    low: float
    high: float
    default: float
    meaning: str

    def parse(self, text: str):
        """The value as typed, or UsageError saying the type and range."""
        what = "whole number" if self.kind is int else "number"
        try:
            value = self.kind(str(text).strip())
        except ValueError:
            raise UsageError(f"{self.name} must be a {what} from {self.low:g} to {self.high:g}, "
                             f"got {text!r}") from None
        if not self.low <= value <= self.high:  # NaN fails too
            raise UsageError(f"{self.name} must be from {self.low:g} to {self.high:g} ({self.meaning}), "
                             f"got {text}")
        return value


SETTINGS = (
    Setting("desired-retention", "desired_retention", float, 0.70, 0.99, 0.9,
            "the recall probability FSRS schedules for (higher = more reviews)"),
    Setting("new-per-day", "new_per_day", int, 0, 1000, 20, "new questions introduced per day"),
    Setting("day-start-hour", "day_start_hour", int, 0, 23, 4,
            "local hour when a new study day starts (like Anki's 4 AM)"),
    Setting("exam-pass-mark", "exam_pass_mark", int, 1, 100, 72, "percent of right answers needed to pass an exam"),
)
BY_NAME = {s.name: s for s in SETTINGS}
BY_KEY = {s.key: s for s in SETTINGS}
DESIRED_RETENTION = BY_NAME["desired-retention"]


def lookup(name: str) -> Setting:
    """The setting called `name`, or the one "unknown setting" error (with a suggestion)."""
    if name in BY_NAME:
        return BY_NAME[name]
    import difflib

    close = difflib.get_close_matches(name, list(BY_NAME), n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise UsageError(f"unknown setting {name!r}; settings: {', '.join(BY_NAME)}.{hint}")


@dataclass(frozen=True)
class Settings:
    desired_retention: float = DESIRED_RETENTION.default
    new_per_day: int = BY_NAME["new-per-day"].default
    day_start_hour: int = BY_NAME["day-start-hour"].default
    exam_pass_mark: int = BY_NAME["exam-pass-mark"].default

    def value(self, setting: Setting):
        return getattr(self, setting.key)


def valid_stored(key: str, value: str) -> bool:
    """Whether a stored value (by its store key) is one this release accepts (e.g. from an import)."""
    setting = BY_KEY.get(key)
    if setting is None:
        return False
    try:
        setting.parse(value)
    except UsageError:
        return False
    return True


def from_stored(stored: dict[str, str]) -> Settings:
    """Settings from the store's key -> text rows (missing keys take their default).

    A stored value outside its type or range raises ValueError naming the key; the store turns it
    into a damaged-database report (the file was edited or bit-rotted, not typed by the learner).
    """
    values = {}
    for key, text in stored.items():
        setting = BY_KEY.get(key)
        if setting is None:
            continue  # a setting from a newer release: not ours to judge
        try:
            values[key] = setting.parse(text)
        except UsageError:
            raise ValueError(f"settings: {key} holds {text!r}, which is not a {setting.kind.__name__} "
                             f"from {setting.low:g} to {setting.high:g}") from None
    return Settings(**values)
