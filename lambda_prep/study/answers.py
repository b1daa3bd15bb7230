"""Checking a typed answer against a question's key points: offline, fast, explainable.

How a key point counts as covered (shared/reference/study-features-notes.md §2: plain keyword
coverage per key point did as well as embeddings on Lambda answers, and needs no download):
- The answer and the point are split into words, lower-cased, stemmed with a light suffix
  stemmer, and domain synonyms are folded together ("concurrent executions" = "concurrency",
  "env" = "environment", "function" = "lambda"...).
- Numbers are normalised: "1,000" = "1000" = "one thousand" = "1k"; a number with a unit is a
  quantity ("10 seconds" = "10 s" = "ten seconds" = "10000 ms"; "1 GB" = "1024 MB"; "a fifth" =
  "20%"). Every number of the point must appear in the answer: a wrong figure never counts.
- A point is covered when the answer, within one or two adjacent sentences, holds enough of the
  point's words (by weight) and all of its numbers, and does not assert what a negated point
  denies ("no built-in retry" is not covered by "sync calls get a built-in retry"). The reverse is
  allowed: answers often say a positive point with a negation ("never log secrets" for "keep
  secrets out of logs"); measured on the banks' own model answers, that check cost recall and
  bought no precision. Each of the bank's `phrasings` is tried as another wording of the point.

Pure standard library; one check takes well under a millisecond per key point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

# Share of a point's word weight the answer must hold (tuned with benchmarks/eval_answers.py).
THRESHOLD = 0.65
FIGURES_THRESHOLD = 0.3  # when the point's figures are all in the answer

# --- words ------------------------------------------------------------------------------------

STOPWORDS = frozenset("""
a an the and or but if then than that this these those there their them they it its it's is are was
were be been being am do does did done doing have has had having of in on at to for from by with as
into onto about over under up down out off so such too very can could should would may might will
shall must just also only both each every any all some more most other another own same few many
much via per what which who whom whose when where why how i you he she we me my your our us his her
one ones while within whether like get gets got make makes made use used using uses way ways e.g
i.e etc let lets well still even ever yet
""".split())

# Words that appear in nearly every answer about Lambda: they count, but little.
LIGHT = {"lambda": 0.3, "aw": 0.3, "servic": 0.5, "run": 0.5, "time": 0.5, "set": 0.5, "new": 0.6,
         "need": 0.4, "thing": 0.2, "want": 0.3}

NEGATIONS = frozenset({"no", "not", "never", "cannot", "cant", "without", "none", "nothing", "nor",
                       "dont", "doesnt", "isnt", "arent", "wont", "didnt", "wasnt", "werent", "neither",
                       "unsupported", "impossible", "skip", "skips", "skipped", "avoid", "avoids", "avoided",
                       "eliminate", "eliminates", "instead", "rather"})

# Phrases folded to one canonical token before stemming (longest first). Keep it small and
# domain-specific: each entry is something a candidate says instead of the bank's wording.
SYNONYM_PHRASES: dict[str, str] = {
    "concurrent executions": "concurrency", "concurrent execution": "concurrency",
    "concurrent invocations": "concurrency", "concurrent requests": "concurrency",
    "in-flight requests": "concurrency", "in flight requests": "concurrency",
    "execution environments": "env", "execution environment": "env", "environments": "env",
    "environment": "env", "sandbox": "env", "sandboxes": "env", "micro vm": "env", "microvm": "env",
    "environment variables": "envvar", "environment variable": "envvar", "env vars": "envvar",
    "env var": "envvar",
    "cold starts": "coldstart", "cold start": "coldstart", "cold-start": "coldstart",
    "cold-starts": "coldstart",
    "warm starts": "warmstart", "warm start": "warmstart",
    "dead-letter queues": "dlq", "dead-letter queue": "dlq", "dead letter queue": "dlq",
    "dead letter queues": "dlq",
    "event source mappings": "esm", "event source mapping": "esm", "event-source mapping": "esm",
    "api gateway": "apigw", "api-gateway": "apigw",
    "visibility timeout": "visibilitytimeout",
    "reserved concurrency": "reservedconcurrency",
    "provisioned concurrency": "provisionedconcurrency",
    "maximum concurrency": "maxconcurrency", "max concurrency": "maxconcurrency",
    "resource-based policy": "resourcepolicy", "resource based policy": "resourcepolicy",
    "resource policy": "resourcepolicy", "function policy": "resourcepolicy",
    "execution role": "executionrole", "iam role": "executionrole",
    "security groups": "securitygroup", "security group": "securitygroup",
    "web adapter": "webadapter",
    "up to": "max", "at most": "max", "no more than": "max",
    "at least": "min", "no less than": "min",
    "less expensive": "cheap", "lower cost": "cheap", "costs less": "cheap",
    "time out": "timeout", "time limit": "timeout", "timed out": "timeout",
    "more than once": "duplicate", "at-least-once": "atleastonce", "at least once": "atleastonce",
    "response time": "latency",
    "as is": "unchanged", "as-is": "unchanged", "no code changes": "unchanged",
    "without changes": "unchanged", "without code changes": "unchanged", "no changes": "unchanged",
    "spin up": "start", "spins up": "start", "spun up": "start",
    "api key": "secret", "api keys": "secret",
    "x86_64": "x86", "x86-64": "x86",
    "step functions": "stepfunctions",
    "secrets manager": "secretsmanager", "parameter store": "parameterstore",
    "power tuning": "powertuning",
    "requests per second": "rps", "request per second": "rps", "requests a second": "rps",
}

# Single words (after lower-casing, before stemming) folded to one canonical stem.
SYNONYM_WORDS: dict[str, str] = {
    "function": "lambda", "functions": "lambda",
    "env": "env", "envs": "env", "container": "contain", "containers": "contain", "docker": "contain",
    "oci": "contain",
    "concurrent": "concurrency", "parallel": "concurrency",
    "coldstart": "coldstart", "coldstarts": "coldstart",
    "dlq": "dlq", "dlqs": "dlq", "esm": "esm", "esms": "esm", "apigw": "apigw",
    "synchronous": "sync", "synchronously": "sync", "requestresponse": "sync",
    "asynchronous": "async", "asynchronously": "async",
    "maximum": "max", "limit": "max", "limits": "max", "limited": "max", "cap": "max", "caps": "max",
    "capped": "max", "ceiling": "max", "quota": "max", "quotas": "max",
    "minimum": "min",
    "cheaper": "cheap", "cheapest": "cheap", "saves": "cheap", "savings": "cheap",
    "cost": "bill", "costs": "bill", "price": "bill", "priced": "bill", "pricing": "bill",
    "billed": "bill", "billing": "bill", "charged": "bill", "charge": "bill", "charges": "bill",
    "pay": "bill", "paid": "bill", "pays": "bill", "fee": "bill",
    "retry": "retry", "retries": "retry", "retried": "retry", "retrying": "retry", "reattempt": "retry",
    "redelivery": "retry", "redelivered": "retry",
    "error": "error", "errors": "error", "failure": "error", "failures": "error", "fail": "error",
    "fails": "error", "failed": "error", "failing": "error", "exception": "error", "exceptions": "error",
    "throttle": "throttl", "throttled": "throttl", "throttles": "throttl", "throttling": "throttl",
    "invoke": "invok", "invokes": "invok", "invoked": "invok", "invocation": "invok",
    "invocations": "invok", "invoking": "invok", "call": "invok", "calls": "invok", "called": "invok",
    "database": "db", "databases": "db",
    "memory": "memory", "ram": "memory", "mem": "memory",
    "vcpu": "cpu", "vcpus": "cpu", "cpus": "cpu",
    "graviton": "arm", "arm64": "arm", "aarch64": "arm",
    "amd64": "x86", "intel": "x86",
    "initialization": "init", "initialisation": "init", "initialize": "init", "initialise": "init",
    "initialized": "init", "initialised": "init", "initializing": "init", "bootstrap": "init",
    "logs": "log", "logging": "log", "logged": "log",
    "alert": "alarm", "alerts": "alarm", "alarms": "alarm",
    "deprecated": "old", "legacy": "old", "retired": "old", "outdated": "old", "previous": "old",
    "previously": "old", "older": "old",
    "fresh": "new",
    "larger": "big", "bigger": "big", "large": "big", "huge": "big",
    "smaller": "small", "tiny": "small", "shrink": "small", "trim": "small", "slim": "small",
    "faster": "fast", "quick": "fast", "quicker": "fast", "quickly": "fast", "speed": "fast",
    "delay": "latency", "delays": "latency",
    "execute": "run", "executes": "run", "executed": "run", "running": "run", "runs": "run",
    "boot": "start", "boots": "start", "launch": "start", "launches": "start", "starts": "start",
    "started": "start", "startup": "start", "start-up": "start",
    "kill": "stop", "killed": "stop", "terminate": "stop", "terminated": "stop", "terminates": "stop",
    "password": "secret", "passwords": "secret", "credential": "secret", "credentials": "secret",
    "secrets": "secret",
    "idempotent": "idempot", "idempotency": "idempot", "dedupe": "idempot", "deduplicate": "idempot",
    "deduplication": "idempot",
    "duplicates": "duplicate", "duplicated": "duplicate",
    "reuse": "reus", "reused": "reus", "reuses": "reus", "reusing": "reus", "recycle": "reus",
    "recycled": "reus",
    "permission": "permiss", "permissions": "permiss", "permitted": "permiss",
    "unchanged": "unchanged", "unmodified": "unchanged",
    "package": "packag", "packages": "packag", "packaged": "packag", "packaging": "packag",
    "bundle": "packag", "bundled": "packag", "artifact": "packag",
    "message": "messag", "messages": "messag", "msg": "messag", "msgs": "messag",
    "every": "per", "each": "per",
    "configured": "config", "configure": "config", "configuration": "config", "setting": "config",
    "settings": "config", "multiplied": "times", "multiply": "times", "multiplying": "times",
}

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_FRACTIONS = {"half": 50, "third": 33, "quarter": 25, "fifth": 20, "tenth": 10}  # "a fifth" = 20 %

# Units: a dimension and the factor to its base unit (ms, KB, percent).
UNITS: dict[str, tuple[str, float]] = {}
for _names, _dim, _factor in [
    (("ms", "msec", "millisecond", "milliseconds"), "time", 1),
    (("s", "sec", "secs", "second", "seconds"), "time", 1000),
    (("m", "min", "mins", "minute", "minutes"), "time", 60_000),
    (("h", "hr", "hrs", "hour", "hours"), "time", 3_600_000),
    (("day", "days"), "time", 86_400_000),
    (("week", "weeks"), "time", 604_800_000),
    (("year", "years"), "time", 31_536_000_000),
    (("kb", "kib", "kilobyte", "kilobytes"), "size", 1),
    (("mb", "mib", "megabyte", "megabytes"), "size", 1024),
    (("gb", "gib", "gigabyte", "gigabytes"), "size", 1024 ** 2),
    (("tb", "tib", "terabyte", "terabytes"), "size", 1024 ** 3),
    (("%", "percent", "pct"), "percent", 1),
]:
    for _name in _names:
        UNITS[_name] = (_dim, _factor)

_MONTHS = {"january": "jan", "february": "feb", "march": "mar", "april": "apr", "june": "jun",
           "july": "jul", "august": "aug", "september": "sep", "sept": "sep", "october": "oct",
           "november": "nov", "december": "dec"}
_MONTH_TERMS = set(_MONTHS.values()) | {"may"}
SYNONYM_WORDS.update(_MONTHS)

_TOKEN_PATTERN = (r"""
    (?P<conj>(?<=\s)(?:and|or|then|so)(?=\s))
  | (?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suffix>[kK](?![A-Za-z])|M(?![A-Za-z])|x(?![A-Za-z])|%)?
  | (?P<word>[A-Za-z_$][A-Za-z0-9_$#+]*(?:[.'][A-Za-z0-9]+)*)
  | (?P<pct>%)
  | (?P<stop>[.!?]+(?=\s|$)|\n)
  | (?P<clause>[,;:()]|\s(?:but|whereas|while|although|though|however)\s)
""")


def stem(word: str) -> str:
    """A light suffix stemmer: enough to match plurals and verb forms, never clever."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, keep in (("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("ations", "ate"),
                         ("ation", "ate"), ("ements", ""), ("ement", ""), ("nesses", ""), ("ness", ""),
                         ("ingly", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"),
                         ("edly", ""), ("ed", ""), ("ers", ""), ("er", ""), ("ly", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            base = word[: len(word) - len(suffix)] + keep
            if suffix in ("ing", "ings", "ingly", "ed", "edly") and len(base) >= 4 \
                    and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "stopped", "stopping" -> "stop"
            word = base
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


@dataclass(frozen=True)
class Number:
    value: float  # as written ("10" in "10 s")
    dim: str | None  # "time", "size", "percent", or None for a bare number
    base: float | None  # in the dimension's base unit (ms, KB, %)
    required: bool = True  # "one" written as a word is not a figure an answer must repeat

    def matches(self, other: Number) -> bool:
        if self.dim and other.dim:
            return self.dim == other.dim and _close(self.base, other.base)
        return _close(self.value, other.value)


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@dataclass(frozen=True)
class Token:
    term: str  # canonical stem ("" for a number)
    start: int  # character span in the original text (the evidence shown to the learner)
    end: int
    sentence: int
    negated: bool = False  # its clause holds a negation ("no", "not", "never", "can't"...)
    number: Number | None = None
    phrase: int = 0  # clauses split further at "and", "or": a figure belongs with the words of its phrase


@dataclass(frozen=True)
class Doc:
    text: str
    tokens: tuple[Token, ...]
    sentence_starts: tuple[int, ...]  # index of each sentence's first token, plus len(tokens)


@lru_cache(maxsize=1)
def _regexes() -> tuple[re.Pattern, re.Pattern]:
    """The tokenizer and the synonym-phrase regex, compiled on first use (about 25 ms: not at import,
    so the first question of a mock is on screen before this is paid)."""
    phrases = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(
        re.escape(p) for p in sorted(SYNONYM_PHRASES, key=len, reverse=True)) + r")(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.IGNORECASE), phrases


def _raw_tokens(text: str) -> list[list]:
    """[kind, value, start, end, worded] over the text; kinds: num, word, stop, clause."""
    out: list[list] = []
    for m in _regexes()[0].finditer(text):
        if m.group("stop") is not None:
            out.append(["stop", "", m.start(), m.end(), False])
        elif m.group("clause") is not None:
            out.append(["clause", "", m.start(), m.end(), False])
        elif m.group("conj") is not None:
            out.append(["conj", "", m.start(), m.end(), False])
        elif m.group("pct") is not None:
            out.append(["word", "%", m.start(), m.end(), False])
        elif m.group("num") is not None:
            value = float(m.group("num").replace(",", ""))
            suffix = m.group("suffix") or ""
            if suffix in ("k", "K"):
                value *= 1000
            elif suffix == "M":
                value *= 1_000_000
            end = m.end() - (1 if suffix == "%" else 0)
            out.append(["num", value, m.start(), end, False])
            if suffix == "%":
                out.append(["word", "%", end, m.end(), False])
        else:
            out.append(["word", m.group("word"), m.start(), m.end(), False])
    return out


def _is_word(item: list, *words: str) -> bool:
    return item[0] == "word" and item[1].lower() in words


def _spell_numbers(raw: list[list]) -> list[list]:
    """Fold number words into numbers: "one thousand" -> 1000, "1 million" -> 1e6, "a fifth" -> 20 %."""
    out: list[list] = []
    i = 0
    while i < len(raw):
        kind, value, start, end, _ = raw[i]
        low = value.lower() if kind == "word" else ""
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if low in ("a", "one") and nxt is not None and nxt[0] == "word" and nxt[1].lower() in _FRACTIONS:
            out.append(["num", float(_FRACTIONS[nxt[1].lower()]), start, nxt[3], True])
            out.append(["word", "%", nxt[2], nxt[3], False])
            i += 2
            continue
        if low in ("twice", "thrice"):
            out.append(["num", 2.0 if low == "twice" else 3.0, start, end, True])
            i += 1
            continue
        if kind == "word" and low in _SCALES and out and out[-1][0] == "num":
            out[-1] = ["num", out[-1][1] * _SCALES[low], out[-1][2], end, out[-1][4]]
            i += 1
            continue
        starts_number = low in _NUMBER_WORDS or (low in ("a", "an") and nxt is not None
                                                  and nxt[0] == "word" and nxt[1].lower() in _SCALES)
        if kind == "word" and starts_number:
            total, current, j, last_end = 0.0, 0.0, i, end
            while j < len(raw) and raw[j][0] == "word":
                w = raw[j][1].lower()
                if w in _NUMBER_WORDS:
                    current += _NUMBER_WORDS[w]
                elif w in ("a", "an") and j == i:
                    current = 1.0
                elif w in _SCALES:
                    current = max(current, 1.0) * _SCALES[w]
                    if _SCALES[w] >= 1000:
                        total, current = total + current, 0.0
                elif w == "and" and j + 1 < len(raw) and _is_word(raw[j + 1], *_NUMBER_WORDS):
                    pass
                else:
                    break
                last_end = raw[j][3]
                j += 1
            out.append(["num", total + current, start, last_end, True])
            i = j
            continue
        out.append(raw[i])
        i += 1
    return out


def analyse(text: str) -> Doc:
    """Text as canonical terms and quantities, each with its span, sentence and negation."""
    return _analyse(text)


@lru_cache(maxsize=4096)
def _analyse(text: str) -> Doc:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    raw = _spell_numbers(_raw_tokens(text))
    phrases = {m.start(): (m.end(), SYNONYM_PHRASES[m.group(0).lower()]) for m in _regexes()[1].finditer(text)}
    pending: list[tuple] = []  # term, start, end, sentence, clause, number, phrase
    sentence = clause = phrase = 0
    negated_clauses: set[int] = set()
    i = 0
    while i < len(raw):
        kind, value, start, end, worded = raw[i]
        if kind == "conj":
            phrase += 1
            i += 1
            continue
        if kind in ("stop", "clause"):
            phrase += 1
            if pending and pending[-1][4] == clause:
                clause += 1
            if kind == "stop" and pending and pending[-1][3] == sentence:
                sentence += 1
            i += 1
            continue
        if start in phrases:
            phrase_end, canonical = phrases[start]
            j = i
            while j < len(raw) and raw[j][3] <= phrase_end and raw[j][0] not in ("stop",):
                j += 1
            if j > i and raw[j - 1][3] == phrase_end:
                pending.append((canonical, start, phrase_end, sentence, clause, None, phrase))
                i = j
                continue
        if kind == "num":
            unit = None
            span_end = end
            if i + 1 < len(raw) and raw[i + 1][0] == "word":
                after = raw[i + 1][1]
                word = after.lower()
                if word in UNITS and after != "M":
                    unit = UNITS[word]
                    span_end = raw[i + 1][3]
                elif word in _MONTHS or word in _MONTH_TERMS and value <= 31:
                    i += 1  # a day of the month ("1 Aug 2025"): the month and year carry the date
                    continue
            dim, factor = unit if unit else (None, None)
            number = Number(value, dim, value * factor if factor else None, required=not (worded and value == 1))
            pending.append(("", start, span_end, sentence, clause, number, phrase))
            i += 2 if unit else 1
            continue
        word = value.lower().replace("'", "")
        if word in NEGATIONS or value.lower().endswith("n't"):
            negated_clauses.add(clause)
        if word in STOPWORDS or word in NEGATIONS:
            i += 1
            continue
        term = SYNONYM_WORDS.get(word)
        if term is None:
            stemmed = stem(word)
            term = SYNONYM_WORDS.get(stemmed, stemmed)
        if term and term not in STOPWORDS:
            pending.append((term, start, end, sentence, clause, None, phrase))
        i += 1
    tokens = tuple(Token(term, start, end, sent, cl in negated_clauses, number, ph)
                   for term, start, end, sent, cl, number, ph in pending)
    starts = []
    for index, token in enumerate(tokens):
        while len(starts) <= token.sentence:
            starts.append(index)
    starts.append(len(tokens))
    return Doc(text, tokens, tuple(starts))


@lru_cache(maxsize=65536)
def _similar(a: str, b: str) -> bool:
    """Same stem, a long shared prefix ("configur-e/ation"), or one typo in a long word."""
    if a == b:
        return True
    if len(a) < 5 or len(b) < 5 or not a.isalpha() or not b.isalpha():
        return False
    shorter = min(len(a), len(b))
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    if prefix >= 6 and prefix >= 0.8 * shorter:
        return True
    return shorter >= 7 and abs(len(a) - len(b)) <= 1 and _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
                                            and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]


# --- checking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointResult:
    point: str
    covered: bool
    evidence: tuple[str, ...] = ()  # the words of the answer that covered it (or came closest)
    score: float = 0.0  # share of the point's word weight found (best wording)
    numbers_ok: bool = True  # every figure of the point was in the answer


@dataclass(frozen=True)
class CheckResult:
    points: tuple[PointResult, ...] = field(default_factory=tuple)

    @property
    def covered(self) -> tuple[int, ...]:
        return tuple(i for i, p in enumerate(self.points) if p.covered)

    @property
    def score(self) -> float:
        """Share of key points covered (0 for an empty answer)."""
        return len(self.covered) / len(self.points) if self.points else 0.0


@dataclass(frozen=True)
class _Wording:
    terms: tuple[tuple[str, float], ...]
    numbers: tuple[Number, ...]
    negated: bool


@lru_cache(maxsize=4096)
def _wording(text: str) -> _Wording:
    doc = _analyse(text)
    weights: dict[str, float] = {}
    for t in doc.tokens:
        if t.term and t.term not in weights:
            # A multi-word concept ("provisioned concurrency") says more than any one word.
            weights[t.term] = LIGHT.get(t.term, 2.0 if t.term in _CONCEPTS else 1.0)
    numbers = [t.number for t in doc.tokens if t.number is not None and t.number.required]
    # Which figures an answer must repeat: not years (dates are context), not a bare figure in
    # parentheses ("(-1)"), and figures in parentheses only when the point has no other figure.
    figures = [t for t in doc.tokens if t.number is not None and t.number.required
               and not (t.number.dim is None and 1990 <= t.number.value <= 2100 and t.number.value.is_integer())
               and not (re.fullmatch(r"\(\s*-?\s*", text[text.rfind("(", 0, t.start):t.start] or "x")
                        and text[t.end:].lstrip().startswith(")"))]
    outside = [t.number for t in figures if not _in_parentheses(text, t.start)]
    numbers = tuple(outside or [t.number for t in figures])
    return _Wording(tuple(weights.items()), numbers, any(t.negated for t in doc.tokens))


_CONCEPTS = frozenset(v for v in SYNONYM_PHRASES.values() if v not in ("max", "min", "cheap", "unchanged", "start",
                                                                      "timeout", "latency", "env"))


def _in_parentheses(text: str, position: int) -> bool:
    return text.rfind("(", 0, position) > text.rfind(")", 0, position)


_NOTHING = (False, 0.0, False, False, ())


def _match(wording: _Wording, doc: Doc) -> tuple[float, bool, bool, tuple[Token, ...]]:
    """The best span of one or two adjacent sentences: (covered, score, figures found, negation agrees, evidence)."""
    tokens = doc.tokens
    total = sum(w for _, w in wording.terms)
    term_hits = [[i for i, t in enumerate(tokens) if t.term and _similar(term, t.term)] for term, _ in wording.terms]
    number_hits = [[i for i, t in enumerate(tokens) if t.number is not None and n.matches(t.number)]
                   for n in wording.numbers]
    best = _NOTHING
    starts = doc.sentence_starts
    sentences = len(starts) - 1
    # One sentence first, so a tie goes to the narrowest span (and its words are the evidence).
    spans = [(s, s) for s in range(sentences)] + [(s, s + 1) for s in range(sentences - 1)]
    for first, last in spans:
        lo, hi = starts[first], starts[last + 1]
        got = 0.0
        evidence: list[Token] = []
        for (term, weight), hits in zip(wording.terms, term_hits):
            inside = [i for i in hits if lo <= i < hi]
            if inside:
                # Prefer an occurrence whose clause agrees with the point on negation.
                pick = next((i for i in inside if tokens[i].negated == wording.negated), inside[0])
                got += weight
                evidence.append(tokens[pick])
        numbers_ok = True
        near = True  # each figure shares a phrase with a word of the point
        phrases = {t.phrase for t in evidence}
        for hits in number_hits:
            inside = [i for i in hits if lo <= i < hi]
            if inside:
                pick = next((i for i in inside if tokens[i].phrase in phrases), None)
                near = near and pick is not None
                evidence.append(tokens[inside[0] if pick is None else pick])
            else:
                numbers_ok = False
        score = got / total if total else (1.0 if wording.numbers and numbers_ok else 0.0)
        said_negated = any(t.negated for t in evidence if t.term)
        agrees = not (wording.negated and not said_negated) or not wording.terms  # see the module doc
        # The point's own figures, found, are strong evidence: then a third of its words will do
        # ("sync 6 MB" covers "Synchronous payloads up to 6 MB").
        needed = FIGURES_THRESHOLD if wording.numbers and numbers_ok and near else THRESHOLD
        ok = score >= needed and numbers_ok and agrees
        candidate = (ok, score, numbers_ok, agrees, tuple(sorted(set(evidence), key=lambda t: t.start)))
        if _rank(candidate) > _rank(best):
            best = candidate
    return best


def _rank(result: tuple) -> tuple:
    ok, score, numbers_ok, agrees, _ = result
    return (ok, numbers_ok and agrees, score)


def check(answer: str, key_points: Sequence[str], phrasings: Sequence[Sequence[str]] = ()) -> CheckResult:
    """Which key points a typed answer covers, and the words of the answer that covered each."""
    doc = _analyse(answer or "")
    results = []
    for index, point in enumerate(key_points):
        wordings = [point, *(phrasings[index] if index < len(phrasings) else ())]
        best = _NOTHING
        if doc.tokens:
            for text in wordings:
                result = _match(_wording(text), doc)
                if _rank(result) > _rank(best):
                    best = result
        covered, score, numbers_ok, _agrees, evidence = best
        # Shown to the learner: the telling words, not "Lambda" or "time" (unless that is all there is).
        telling = [t for t in evidence if not t.term or LIGHT.get(t.term, 1.0) >= 1.0] or list(evidence)
        words = tuple(dict.fromkeys(doc.text[t.start:t.end] for t in telling))
        results.append(PointResult(point, covered, words, round(score, 3), numbers_ok))
    return CheckResult(tuple(results))
