"""The myth detector: outdated beliefs stated in a typed answer, with the current fact and its source.

Myths are data beside the banks (content/myths/<topic>.yaml, format in docs/bank-format.md):
each has `detect` regexes (any match in one sentence of the answer flags the belief) and
optional `unless` regexes (a match in that same sentence means the learner is stating the
correction: "not 256 KB but 1 MB"). Files are loaded with the banks' safe YAML loader and
validated the same way: every problem at file:line:col, including examples that the patterns
get wrong, so an author learns at once that a pattern misses its own myth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from lambda_prep.bank.model import Problem
from lambda_prep.bank.nodes import LoadError, LocDict, LocList, Pos

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
FIELDS = {"id", "belief", "detect", "unless", "correction", "source", "questions", "examples"}
REQUIRED = ("id", "belief", "detect", "correction", "source", "examples")
MIN_EXAMPLES = 2

# A sentence that talks about a belief as a belief ("a common mistake is to say...", "the myth
# that...") is not stating it, whatever the myth's own patterns say.
_ABOUT_A_BELIEF = re.compile(r"\b(myths?|mistaken?|mistakes|misconceptions?|misread\w*|misunderst\w*|outdated|"
                             r"believ\w*|beliefs?|wrong(ly)?|incorrect(ly)?|circulat\w*|folklore)\b", re.IGNORECASE)

# Sentence ends: ". " "! " "? ", a newline, or a semicolon; not the dot inside "Node.js" or "3.12".
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Myth:
    id: str
    belief: str
    detect: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...]
    correction: str
    source: str
    questions: tuple[str, ...] = ()
    examples_myth: tuple[str, ...] = ()
    examples_fact: tuple[str, ...] = ()
    origin: str = ""  # "path:line"

    def stated_in(self, sentence: str) -> bool:
        """The sentence states the belief (and not its correction)."""
        return (any(p.search(sentence) for p in self.detect)
                and not any(p.search(sentence) for p in self.unless)
                and not _ABOUT_A_BELIEF.search(sentence))


@dataclass(frozen=True)
class Caught:
    """A myth found in an answer: which one, and the sentence that stated it."""

    myth: Myth
    sentence: str


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def detect(text: str, myths: Sequence[Myth]) -> list[Caught]:
    """Each myth stated in the text, once, with the first sentence that stated it.

    Two files may hold the same belief (a topic's file and the core list): a myth is dropped when
    one already caught has the same belief, or the same source for the same sentence.
    """
    caught: list[Caught] = []
    seen: set[str] = set()
    for sentence in sentences(text):
        for myth in myths:
            if myth.id in seen or not myth.stated_in(sentence):
                continue
            seen.add(myth.id)
            if any(c.myth.belief.casefold() == myth.belief.casefold()
                   or (c.sentence == sentence and c.myth.source == myth.source) for c in caught):
                continue
            caught.append(Caught(myth, sentence))
    return caught


# --- loading and validation ---------------------------------------------------------------------


@dataclass
class MythSet:
    myths: list[Myth]
    problems: list[Problem]
    files: list[str]


def _text(c: list[Problem], path: str, value: object, pos: Pos, what: str) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    c.append(Problem(path, pos[0], pos[1], f"{what} must be non-empty text"))
    return None


def _texts(c: list[Problem], path: str, value: object, pos: Pos, what: str, minimum: int) -> list[tuple[str, Pos]]:
    if not isinstance(value, list):
        c.append(Problem(path, pos[0], pos[1], f"{what} must be a list (e.g. ['a', 'b'])"))
        return []
    out = []
    positions = getattr(value, "item_pos", [pos] * len(value))
    for index, (item, item_pos) in enumerate(zip(value, positions)):
        checked = _text(c, path, item, item_pos, f"{what}[{index + 1}]")
        if checked is not None:
            out.append((checked, item_pos))
    if len(value) < minimum:
        c.append(Problem(path, pos[0], pos[1], f"{what} needs at least {minimum} items, has {len(value)}"))
    return out


def _patterns(c: list[Problem], path: str, value: object, pos: Pos, what: str, minimum: int) -> list[re.Pattern]:
    compiled = []
    for text, item_pos in _texts(c, path, value, pos, what, minimum):
        try:
            compiled.append(re.compile(text, re.IGNORECASE))
        except re.error as exc:
            c.append(Problem(path, item_pos[0], item_pos[1], f"{what}: {text!r} is not a valid regex ({exc})"))
    return compiled


def check_file(path: str, data: bytes | str) -> tuple[list[Myth], list[Problem]]:
    """Validate one myths file; a file with any problem yields no myths."""
    from lambda_prep.bank.loader import load  # lazy: PyYAML

    problems: list[Problem] = []
    try:
        doc, _raw = load(data)
    except LoadError as exc:
        return [], [Problem(path, exc.line, exc.col, exc.message)]
    if not isinstance(doc, LocDict) or "myths" not in doc:
        return [], [Problem(path, 1, 1, "a myths file is a mapping with a 'myths:' list")]
    for key in doc:
        if key != "myths":
            problems.append(Problem(path, *doc.key_pos[key], f"unknown top-level key {key!r}; a myths file holds only 'myths:'"))
    entries = doc["myths"]
    if not isinstance(entries, LocList) or not entries:
        return [], problems + [Problem(path, *doc.value_pos["myths"], "'myths' must be a non-empty list")]
    myths: list[Myth] = []
    seen: dict[str, int] = {}
    for index, (entry, pos) in enumerate(zip(entries, entries.item_pos)):
        where = f"myths[{index + 1}]"
        if not isinstance(entry, LocDict):
            problems.append(Problem(path, *pos, f"{where} must be a mapping of fields"))
            continue
        where = f"myths[{index + 1}] ({entry.get('id', '?')})"
        before = len(problems)
        for key in entry:
            if key not in FIELDS:
                problems.append(Problem(path, *entry.key_pos[key], f"{where}: unknown field {key!r}; "
                                                                   f"fields: {', '.join(sorted(FIELDS))}"))
        missing = [f for f in REQUIRED if f not in entry]
        if missing:
            problems.append(Problem(path, *entry.pos, f"{where}: missing {', '.join(missing)}"))
            continue
        vp = entry.value_pos
        myth_id = _text(problems, path, entry["id"], vp["id"], f"{where}: id")
        if myth_id is not None and not ID_PATTERN.match(myth_id):
            problems.append(Problem(path, *vp["id"], f"{where}: id {myth_id!r} must be lower-case letters, digits and '-'"))
        if myth_id in seen:
            problems.append(Problem(path, *vp["id"], f"{where}: duplicate id {myth_id!r} (first at line {seen[myth_id]})"))
        elif myth_id:
            seen[myth_id] = vp["id"][0]
        belief = _text(problems, path, entry["belief"], vp["belief"], f"{where}: belief")
        correction = _text(problems, path, entry["correction"], vp["correction"], f"{where}: correction")
        source = _text(problems, path, entry["source"], vp["source"], f"{where}: source")
        if source is not None and not re.match(r"^https://[^\s/]+\.[^\s]+$", source):
            problems.append(Problem(path, *vp["source"], f"{where}: source {source!r} is not an https:// address"))
        detect_patterns = _patterns(problems, path, entry["detect"], vp["detect"], f"{where}: detect", 1)
        unless_patterns = (_patterns(problems, path, entry["unless"], vp["unless"], f"{where}: unless", 0)
                           if "unless" in entry else [])
        questions = ([q for q, _ in _texts(problems, path, entry["questions"], vp["questions"], f"{where}: questions", 0)]
                     if "questions" in entry else [])
        examples = entry["examples"]
        stated: list[tuple[str, Pos]] = []
        facts: list[tuple[str, Pos]] = []
        if not isinstance(examples, LocDict) or set(examples) != {"myth", "fact"}:
            problems.append(Problem(path, *vp["examples"], f"{where}: examples must be a mapping with 'myth' and "
                                                           f"'fact' lists ({MIN_EXAMPLES} or more sentences each)"))
        else:
            stated = _texts(problems, path, examples["myth"], examples.value_pos["myth"], f"{where}: examples.myth",
                            MIN_EXAMPLES)
            facts = _texts(problems, path, examples["fact"], examples.value_pos["fact"], f"{where}: examples.fact",
                           MIN_EXAMPLES)
        if len(problems) > before:
            continue
        myth = Myth(myth_id, belief, tuple(detect_patterns), tuple(unless_patterns), correction, source,
                    tuple(questions), tuple(t for t, _ in stated), tuple(t for t, _ in facts), f"{path}:{entry.pos[0]}")
        for text, item_pos in stated:
            if not any(myth.stated_in(s) for s in sentences(text)):
                problems.append(Problem(path, *item_pos, f"{where}: examples.myth {text!r} is not flagged by detect "
                                                         f"(or an unless pattern excuses it)"))
        for text, item_pos in facts:
            if any(myth.stated_in(s) for s in sentences(text)):
                problems.append(Problem(path, *item_pos, f"{where}: examples.fact {text!r} is flagged as the myth; "
                                                         f"add an unless pattern or narrow detect"))
        if len(problems) == before:
            myths.append(myth)
    if problems:
        return [], sorted(problems)
    return myths, []


def load_myths(paths: Iterable[Path], *, display_root: Path | None = None,
               known_questions: set[str] | None = None) -> MythSet:
    """Every myths file under `paths` (files or folders of .yaml); ids unique across files.

    With `known_questions`, a `questions` entry naming no loaded bank question is a problem.
    """
    result = MythSet([], [], [])
    owner: dict[str, str] = {}
    seen: set[Path] = set()
    for base in paths:
        files = sorted(p for p in base.glob("*.y*ml")) if base.is_dir() else [base] if base.exists() else []
        for path in files:
            if path.resolve() in seen:
                continue  # the built-in folder and the same file named on the command line
            seen.add(path.resolve())
            shown = str(_display(path, display_root))
            result.files.append(shown)
            try:
                data = path.read_bytes()
            except OSError as exc:
                result.problems.append(Problem(shown, 1, 1, f"cannot read: {exc.strerror or exc}"))
                continue
            myths, problems = check_file(shown, data)
            for myth in myths:
                line = int(myth.origin.rsplit(":", 1)[1])
                if myth.id in owner:
                    problems.append(Problem(shown, line, 1, f"duplicate myth id {myth.id!r}: already used at {owner[myth.id]}"))
                if known_questions is not None:
                    for qid in myth.questions:
                        if qid not in known_questions:
                            problems.append(Problem(shown, line, 1, f"myth {myth.id!r}: questions names {qid!r}, "
                                                                    f"which no bank holds"))
            if problems:
                result.problems.extend(sorted(problems))
                continue
            for myth in myths:
                owner[myth.id] = myth.origin
            result.myths.extend(myths)
    return result


def _display(path: Path, root: Path | None) -> Path:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve())
        except ValueError:
            pass
    return path


def is_myths_file(text: str) -> bool:
    """A YAML file whose top-level list is `myths:` (told apart from a bank without parsing it)."""
    return re.search(r"^myths\s*:", text, re.MULTILINE) is not None
