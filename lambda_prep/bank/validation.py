"""Turn YAML banks into Questions, or into every problem found, each at file:line:col.

A bank is checked whole before anything fails, so an author sees every mistake in one run.
Results are cached per file (keyed by the file's bytes) so large banks load fast on later runs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import hashlib
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lambda_prep.bank.files import BankFileError, discover, printable, read_bank
from lambda_prep.bank.nodes import MAX_FILE_BYTES, LoadError, LocDict, LocList, Pos, preview
from lambda_prep.bank.model import QUESTION_TYPES, TRUE_FALSE_CHOICES, FollowUp, Problem, Question

# Bump when validation rules change, so cached results from an older release are not trusted.
CACHE_FORMAT = 4

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
TOPIC_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
SYLLABUS_IDS = frozenset(f"S{n:02d}" for n in range(1, 71))
SYLLABUS_RANGE = "S01-S70"
MAX_CHOICES = 8
MAX_PROBLEMS = 100  # reported per file; the rest are counted

COMMON_FIELDS = {"id", "topic", "type", "prompt", "explanation", "sources", "last_verified", "difficulty"}
OPTIONAL_FIELDS = {"syllabus", "tags", "myth"}
FIELDS_BY_TYPE = {
    "single": {"choices", "answer"},
    "multi": {"choices", "answer"},
    "true-false": {"answer"},
    "recall": {"answer", "key_points"},
}
ALL_FIELDS = COMMON_FIELDS | OPTIONAL_FIELDS | {"choices", "answer", "key_points", "follow_ups"}
KEY_POINT_FIELDS = {"point", "phrasings"}
FOLLOW_UP_FIELDS = {"prompt", "answer", "key_points", "premise"}
MAX_FOLLOW_UPS = 3
YAML_11_BOOLEANS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


class _Checker:
    """Collects problems for one file."""

    def __init__(self, path: str, raw: dict[Pos, str]):
        self.path = path
        self.raw = raw
        self.problems: list[Problem] = []

    def add(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], message))

    def hinting(self) -> bool:
        """Whether a "did you mean" is still worth its cost: only for problems that will be shown
        (a file of thousands of near-misses took minutes of string matching)."""
        return len(self.problems) < MAX_PROBLEMS

    def describe_non_text(self, value: object, pos: Pos) -> str:
        raw = self.raw.get(pos)
        if isinstance(value, bool) and raw is not None and raw.lower() in YAML_11_BOOLEANS:
            return f"YAML reads unquoted {preview(raw)} as the boolean {str(value).lower()} (YAML 1.1); quote it: \"{preview(raw, quote=False)}\""
        if value is None:
            return "it is empty"
        if raw is not None:
            kind = type(value).__name__.replace("datetime", "date")
            return f"YAML reads unquoted {preview(raw)} as a {kind}, not text; quote it: \"{preview(raw, quote=False)}\""
        return f"it is a {_kind(value)}, not text"

    def text(self, value: object, pos: Pos, what: str) -> str | None:
        if isinstance(value, str):
            if not value.strip():
                self.add(pos, f"{what} is empty")
                return None
            return value.strip()
        self.add(pos, f"{what} must be text: {self.describe_non_text(value, pos)}")
        return None

    def text_list(self, value: object, pos: Pos, what: str, *, min_items: int = 0, max_items: int = 1000,
                  unique: bool = True) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            shape = "text" if isinstance(value, str) else _kind(value)
            self.add(pos, f"{what} must be a list (e.g. [a, b] or one '- item' per line), not {shape}")
            return None
        items: list[str] = []
        seen: set[str] = set()  # a list's membership test would make 1,000 items cost a million steps
        ok = True
        positions = getattr(value, "item_pos", [pos] * len(value))
        for index, (item, item_pos) in enumerate(zip(value, positions)):
            checked = self.text(item, item_pos, f"{what}[{index + 1}]")
            if checked is None:
                ok = False
            elif unique and checked in seen:
                self.add(item_pos, f"{what}[{index + 1}] {preview(checked)} appears twice")
                ok = False
            else:
                items.append(checked)
                seen.add(checked)
        if not min_items <= len(value) <= max_items:
            span = f"at least {min_items}" if max_items >= 1000 else f"{min_items} to {max_items}"
            self.add(pos, f"{what} needs {span} items, has {len(value)}")
            ok = False
        return tuple(items) if ok else None


def _kind(value: object) -> str:
    return {bool: "boolean", int: "number", float: "number", type(None): "empty value",
            dict: "mapping", LocDict: "mapping", list: "list", LocList: "list",
            dt.date: "date", dt.datetime: "date and time"}.get(type(value), type(value).__name__)


def _check_question(item: LocDict, where: str, c: _Checker, today: dt.date) -> Question | None:
    problems_before = len(c.problems)
    kp, vp = item.key_pos, item.value_pos

    for key in item:
        if key not in ALL_FIELDS:
            hint = difflib.get_close_matches(str(key)[:100], sorted(ALL_FIELDS), n=1) if c.hinting() else []
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            c.add(kp[key], f"{where}: unknown field {preview(key)}{suggestion}")

    qtype = item.get("type")
    if "type" in item and qtype not in QUESTION_TYPES:
        c.add(vp["type"], f"{where}: type must be one of {', '.join(QUESTION_TYPES)}; got {preview(qtype)}")
        qtype = None
    required = COMMON_FIELDS | FIELDS_BY_TYPE.get(qtype, set())
    missing = sorted(f for f in required if f not in item)
    if missing:
        c.add(item.pos, f"{where}: missing {', '.join(missing)}")
    if qtype:
        for key in ("choices", "key_points", "follow_ups"):
            if key in item and key not in FIELDS_BY_TYPE[qtype] and not (key == "follow_ups" and qtype == "recall"):
                c.add(kp[key], f"{where}: a {qtype} question has no {key}")

    values: dict = {}
    if "id" in item:
        qid = c.text(item["id"], vp["id"], f"{where}: id")
        if qid is not None and not ID_PATTERN.match(qid):
            c.add(vp["id"], f"{where}: id {preview(qid)} must be lower-case letters, digits, '.', '_' or '-'")
        values["id"] = qid
    if "topic" in item:
        topic = c.text(item["topic"], vp["topic"], f"{where}: topic")
        if topic is not None and not TOPIC_PATTERN.match(topic):
            c.add(vp["topic"], f"{where}: topic {preview(topic)} must be lower-case words joined by '-'")
        values["topic"] = topic
    for key in ("prompt", "explanation"):
        if key in item:
            values[key] = c.text(item[key], vp[key], f"{where}: {key}")

    if "sources" in item:
        sources = c.text_list(item["sources"], vp["sources"], f"{where}: sources", min_items=1)
        for index, url in enumerate(sources or ()):
            if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
                c.add(item["sources"].item_pos[index], f"{where}: sources[{index + 1}] {preview(url)} is not a web address")
        values["sources"] = sources

    if "last_verified" in item:
        values["last_verified"] = _check_date(item["last_verified"], vp["last_verified"], where, c, today)

    if "difficulty" in item:
        difficulty = item["difficulty"]
        if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
            c.add(vp["difficulty"], f"{where}: difficulty must be 1, 2 or 3; got {preview(c.raw.get(vp['difficulty'], difficulty))}")
        values["difficulty"] = difficulty

    if "syllabus" in item:
        syllabus = c.text_list(item["syllabus"], vp["syllabus"], f"{where}: syllabus")
        for index, sid in enumerate(syllabus or ()):
            if sid not in SYLLABUS_IDS:
                c.add(item["syllabus"].item_pos[index], f"{where}: syllabus id {preview(sid)} is not {SYLLABUS_RANGE}")
        values["syllabus"] = syllabus or ()
    if "tags" in item:
        values["tags"] = c.text_list(item["tags"], vp["tags"], f"{where}: tags") or ()
    if "myth" in item:
        if not isinstance(item["myth"], bool):
            c.add(vp["myth"], f"{where}: myth must be true or false")
        values["myth"] = item["myth"] is True

    if qtype in ("single", "multi"):
        _check_choices(item, qtype, where, c, values)
    elif qtype == "true-false" and "answer" in item:
        answer, pos = item["answer"], vp["answer"]
        raw = c.raw.get(pos, "")
        if not isinstance(answer, bool):
            c.add(pos, f"{where}: a true-false answer must be true or false; got {preview(answer)}")
        elif raw.lower() not in ("true", "false"):
            c.add(pos, f"{where}: write the answer as true or false, not {preview(raw)} (YAML 1.1 reads it as {str(answer).lower()})")
        else:
            values["choices"] = TRUE_FALSE_CHOICES
            values["answer"] = (TRUE_FALSE_CHOICES[0] if answer else TRUE_FALSE_CHOICES[1],)
    elif qtype == "recall":
        if "answer" in item:
            values["model_answer"] = c.text(item["answer"], vp["answer"], f"{where}: answer (the model answer)")
        if "key_points" in item:
            checked = _check_key_points(item["key_points"], vp["key_points"], f"{where}: key_points", c)
            if checked is not None:
                values["key_points"], values["phrasings"] = checked
        if "follow_ups" in item:
            values["follow_ups"] = _check_follow_ups(item["follow_ups"], vp["follow_ups"], where, c,
                                                     len(values.get("key_points") or ()))

    if len(c.problems) > problems_before:
        return None
    return Question(type=qtype, origin=f"{c.path}:{item.pos[0]}", **values)


def _check_key_points(value: object, pos: Pos, what: str,
                      c: _Checker) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
    """Key points: each a text, or a mapping {point: text, phrasings: [text, ...]}."""
    if not isinstance(value, list):
        c.text_list(value, pos, what)  # reports that it is not a list
        return None
    points: list[str] = []
    phrasings: list[tuple[str, ...]] = []
    ok = True
    positions = getattr(value, "item_pos", [pos] * len(value))
    for index, (entry, entry_pos) in enumerate(zip(value, positions)):
        label = f"{what}[{index + 1}]"
        alternatives: tuple[str, ...] | None = ()
        if isinstance(entry, LocDict):
            for key in entry:
                if key not in KEY_POINT_FIELDS:
                    c.add(entry.key_pos[key], f"{label}: unknown field {preview(key)}; a key point has 'point' and 'phrasings'")
                    ok = False
            if "point" not in entry:
                c.add(entry.pos, f"{label}: missing point (the key point's text)")
                ok = False
                continue
            text = c.text(entry["point"], entry.value_pos["point"], f"{label}: point")
            if "phrasings" in entry:
                alternatives = c.text_list(entry["phrasings"], entry.value_pos["phrasings"],
                                           f"{label}: phrasings", min_items=1, max_items=20)
        else:
            text = c.text(entry, entry_pos, label)
        if text is None or alternatives is None:
            ok = False
        elif text in points:
            c.add(entry_pos, f"{label} {preview(text)} appears twice")
            ok = False
        else:
            points.append(text)
            phrasings.append(alternatives)
    if not 1 <= len(value) <= 10:
        c.add(pos, f"{what} needs 1 to 10 items, has {len(value)}")
        ok = False
    if not ok:
        return None
    return tuple(points), (tuple(phrasings) if any(phrasings) else ())


def _check_follow_ups(value: object, pos: Pos, where: str, c: _Checker, main_points: int) -> tuple[FollowUp, ...]:
    what = f"{where}: follow_ups"
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_FOLLOW_UPS:
        c.add(pos, f"{what} must be a list of 1 to {MAX_FOLLOW_UPS} follow-up questions")
        return ()
    follow_ups: list[FollowUp] = []
    for index, (entry, entry_pos) in enumerate(zip(value, value.item_pos)):
        label = f"{what}[{index + 1}]"
        if not isinstance(entry, LocDict):
            c.add(entry_pos, f"{label} must be a mapping with prompt, answer and key_points")
            continue
        for key in entry:
            if key not in FOLLOW_UP_FIELDS:
                hint = difflib.get_close_matches(str(key)[:100], sorted(FOLLOW_UP_FIELDS), n=1) if c.hinting() else []
                suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
                c.add(entry.key_pos[key], f"{label}: unknown field {preview(key)}{suggestion}")
        missing = sorted(f for f in ("prompt", "answer", "key_points") if f not in entry)
        if missing:
            c.add(entry.pos, f"{label}: missing {', '.join(missing)}")
            continue
        prompt = c.text(entry["prompt"], entry.value_pos["prompt"], f"{label}: prompt")
        answer = c.text(entry["answer"], entry.value_pos["answer"], f"{label}: answer (the model answer)")
        points = _check_key_points(entry["key_points"], entry.value_pos["key_points"], f"{label}: key_points", c)
        premise = entry.get("premise", 0)
        if "premise" in entry and (isinstance(premise, bool) or not isinstance(premise, int)
                                   or not 1 <= premise <= max(main_points, 1)):
            c.add(entry.value_pos["premise"], f"{label}: premise is the number of the main question's key point "
                                              f"it follows from, 1 to {max(main_points, 1)}")
            continue
        if prompt is not None and answer is not None and points is not None:
            follow_ups.append(FollowUp(prompt, answer, points[0], points[1], premise))
    return tuple(follow_ups)


def _check_choices(item: LocDict, qtype: str, where: str, c: _Checker, values: dict) -> None:
    vp = item.value_pos
    choices = None
    if "choices" in item:
        choices = c.text_list(item["choices"], vp["choices"], f"{where}: choices", min_items=2, max_items=MAX_CHOICES)
        values["choices"] = choices
    if "answer" not in item:
        return
    answer, pos = item["answer"], vp["answer"]
    if qtype == "single":
        if isinstance(answer, list):
            c.add(pos, f"{where}: a single question has one answer; use type: multi for several")
            return
        text = c.text(answer, pos, f"{where}: answer")
        if text is not None and choices is not None and text not in choices:
            c.add(pos, f"{where}: answer {preview(text)} is not one of the choices{_closest(text, choices, c)}")
        values["answer"] = (text,)
        return
    if not isinstance(answer, list):
        c.add(pos, f"{where}: a multi question's answer is a list of the right choices")
        return
    answers = c.text_list(answer, pos, f"{where}: answer", min_items=1)
    for index, text in enumerate(answers or ()):
        if choices is not None and text not in choices:
            c.add(answer.item_pos[index], f"{where}: answer {preview(text)} is not one of the choices{_closest(text, choices, c)}")
    values["answer"] = answers


def _closest(text: str, choices: tuple[str, ...], c: _Checker) -> str:
    if len(text) > 200 or not c.hinting():  # similarity of long texts costs quadratic time
        return ""
    hint = difflib.get_close_matches(text, [choice for choice in choices if len(choice) <= 400], n=1, cutoff=0.6)
    return f" (did you mean {preview(hint[0])}?)" if hint else ""


def _check_date(value: object, pos: Pos, where: str, c: _Checker, today: dt.date) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, dt.date):
        c.add(pos, f"{where}: last_verified must be a date like 2026-11-01; got {preview(value)}")
        return None
    if value > today:
        c.add(pos, f"{where}: last_verified {value.isoformat()} is in the future")
        return None
    return value.isoformat()


def check_file(path: Path, text: bytes, today: dt.date | None = None) -> tuple[list[Question], list[Problem]]:
    """Validate one bank file on its own (cross-file checks happen in load_banks)."""
    from lambda_prep.bank.loader import load  # lazy: PyYAML is only needed on a cache miss

    today = today or dt.date.today()
    shown = str(path)
    try:
        data, raw = load(text)
    except LoadError as exc:
        return [], [Problem(shown, exc.line, exc.col, exc.message)]
    c = _Checker(shown, raw)
    if data is None:
        c.add((1, 1), "the bank is empty; it needs a 'questions:' list")
        return [], c.problems
    if not isinstance(data, LocDict):
        c.add((1, 1), f"a bank is a mapping with a 'questions:' list, not a {_kind(data)}")
        return [], c.problems
    for key in data:
        if key != "questions":
            c.add(data.key_pos[key], f"unknown top-level key {preview(key)}; a bank holds only 'questions:'")
    questions_node = data.get("questions")
    if "questions" not in data:
        c.add(data.pos, "missing 'questions:' list")
        return [], c.problems
    if not isinstance(questions_node, LocList) or not questions_node:
        c.add(data.value_pos["questions"], "'questions' must be a non-empty list")
        return [], c.problems

    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, (item, pos) in enumerate(zip(questions_node, questions_node.item_pos)):
        qid = item.get("id") if isinstance(item, LocDict) else None
        where = f"questions[{index + 1}] ({preview(qid, 80, quote=False) if isinstance(qid, str) else '?'})"
        if not isinstance(item, LocDict):
            c.add(pos, f"{where}: a question is a mapping of fields, not a {_kind(item)}")
            continue
        if isinstance(qid, str) and qid in seen:
            c.add(item.value_pos["id"], f"{where}: duplicate id {preview(qid)} (first at line {seen[qid]})")
        elif isinstance(qid, str):
            seen[qid] = item.value_pos["id"][0]
        question = _check_question(item, where, c, today)
        if question is not None:
            questions.append(question)
    if c.problems:
        return [], _capped(sorted(c.problems))
    return questions, []


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS problems, then one line counting the rest (a file of a million
    duplicate tags must not print a million lines, nor cache them)."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = problems[MAX_PROBLEMS]
    return problems[:MAX_PROBLEMS] + [Problem(rest.path, rest.line, rest.col,
                                              f"... and {len(problems) - MAX_PROBLEMS:,} more problems in this file")]


# --- many files -------------------------------------------------------------------------------


@dataclass
class BankSet:
    """Everything loaded: good questions, every problem, and the files skipped for problems."""

    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def topics(self) -> list[str]:
        return sorted({q.topic for q in self.questions})


def _cached_check(path: Path, data: bytes, cache: Path | None, today: dt.date) -> tuple[list[Question], list[Problem]]:
    """check_file, remembered between runs.

    The cache is only an optimisation: an entry is used only when its key matches (the bank's
    bytes, the path shown, today and CACHE_FORMAT, the version of these rules) and its content
    matches the digest stored with it and has the right shape; anything else (missing, damaged,
    tampered, written by another version) is ignored and replaced.
    """
    if cache is None:
        return check_file(path, data, today)
    shown = os.fsencode(str(path))
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(f"{CACHE_FORMAT}|{today.isoformat()}|".encode() + shown)
    key = digest.hexdigest()
    entry = cache / f"bank-{hashlib.blake2b(shown, digest_size=8).hexdigest()}.json"
    cached = _read_cache_entry(entry, key)
    if cached is not None:
        return cached
    with _no_cyclic_gc():
        questions, problems = check_file(path, data, today)
    payload = json.dumps({"questions": [q.to_dict() for q in questions],
                          "problems": [[p.path, p.line, p.col, p.message] for p in problems]}).encode()
    header = json.dumps({"key": key, "digest": hashlib.blake2b(payload, digest_size=16).hexdigest()}).encode()
    tmp = entry.with_suffix(f".{os.getpid()}.tmp")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(header + b"\n" + payload)
        os.replace(tmp, entry)  # atomic, so a second process never reads half a cache file
    except OSError:  # a read-only or full disk only costs speed; leave nothing half-written behind
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    return questions, problems


def _read_cache_entry(entry: Path, key: str) -> tuple[list[Question], list[Problem]] | None:
    """The cached result for `key`, or None if the entry is missing or not to be trusted."""
    with _no_cyclic_gc():
        return _read_cache_entry_now(entry, key)


@contextmanager
def _no_cyclic_gc():
    """Pause the cycle collector while building many objects that hold no cycles: it would rescan
    them again and again (about a third of the time of loading a 10,000-question bank)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_cache_entry_now(entry: Path, key: str) -> tuple[list[Question], list[Problem]] | None:
    try:
        with open(entry, "rb") as stream:
            if os.fstat(stream.fileno()).st_size > 16 * MAX_FILE_BYTES:  # far more than any bank's result
                return None
            blob = stream.read()
        header, _, payload = blob.partition(b"\n")
        head = json.loads(header)
        if not (isinstance(head, dict) and head.get("key") == key
                and head.get("digest") == hashlib.blake2b(payload, digest_size=16).hexdigest()):
            return None
        stored = json.loads(payload)
        questions = [_cached_question(q) for q in stored["questions"]]
        problems = [_cached_problem(p) for p in stored["problems"]]
    except Exception:  # any damage at all (OSError, bad JSON, wrong shapes or types): check afresh
        return None
    return questions, problems


def _cached_question(data: object) -> Question:
    # The digest already vouches for the content; this is what load_banks relies on.
    question = Question.from_dict(data)  # TypeError on a missing or unknown field
    if type(question.id) is not str or type(question.origin) is not str \
            or not question.origin.rpartition(":")[2].isdigit():
        raise TypeError("a cached question of the wrong shape")
    return question


def _cached_problem(data: object) -> Problem:
    path, line, col, message = data
    if not (isinstance(path, str) and type(line) is int and type(col) is int and isinstance(message, str)):
        raise TypeError("a cached problem of the wrong shape")
    return Problem(path, line, col, message)


def load_banks(paths: list[Path], *, cache: Path | None = None, today: dt.date | None = None,
               display_root: Path | None = None) -> BankSet:
    """Load and validate every bank under `paths`.

    A file with any problem is skipped whole and its problems reported; the rest still load.
    Ids must be unique across all files; a file that reuses an earlier file's id is the one skipped.
    """
    today = today or dt.date.today()
    result = BankSet()
    files, missing = discover(paths)
    result.problems.extend(missing)
    owner: dict[str, tuple[str, int]] = {}
    for path in files:
        shown = printable(_display(path, display_root))
        result.files.append(shown)
        try:
            data = read_bank(path)
            questions, problems = _cached_check(Path(shown), data, cache, today)
        except BankFileError as exc:
            questions, problems = [], [Problem(shown, 1, 1, str(exc))]
        except Exception as exc:  # a bug here must never stop the other banks, nor the command
            questions, problems = [], [Problem(shown, 1, 1, (
                f"could not check this file ({type(exc).__name__}: {preview(str(exc), 80, quote=False)}); "
                "please report it"))]
        clashes = []
        for q in questions:
            if q.id in owner:
                first_file, first_line = owner[q.id]
                line = int(q.origin.rsplit(":", 1)[1])
                clashes.append(Problem(shown, line, 1, f"duplicate id {q.id!r}: already used at {first_file}:{first_line}"))
        problems = problems + clashes
        if problems:
            result.problems.extend(problems)
            result.skipped_files.append(shown)
            continue
        for q in questions:
            owner[q.id] = (shown, int(q.origin.rsplit(":", 1)[1]))
        result.questions.extend(questions)
    return result


def _display(path: Path, root: Path | None) -> Path:
    """A path as an author would want it shown: relative to `root` when under it."""
    if root is not None:
        try:
            # The folder resolved, not the file: a symlinked bank keeps its own name.
            return (path.parent.resolve() / path.name).relative_to(root.resolve())
        except (ValueError, OSError, RuntimeError):  # not under root; a symlink loop; a name too long
            pass
    return path
