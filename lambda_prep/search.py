"""Full-text search over the questions and the explainers' sections, ranked, in memory.

Small enough to index on every call (a few hundred documents): BM25 over stemmed words, with the
question's prompt and a section's heading counting more, and a bonus when the words appear
together as typed. No index file to go stale.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
STOP = frozenset("a an and are as at be by can do does for from how i in is it its of on or the this to what "
                 "when where which who why will with you your".split())
K1, B = 1.2, 0.75
TITLE_WEIGHT = 3  # a word in the prompt or heading counts as three in the body


def stem(word: str) -> str:
    """A light English stemmer: enough that 'retries' finds 'retry' and 'throttled' finds 'throttle'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


def terms(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOP]


@dataclass
class Document:
    kind: str  # "question" or "explainer"
    ref: str  # the question id, or "topic#section"
    topic: str
    title: str
    body: str
    counts: Counter
    length: int


def _document(kind: str, ref: str, topic: str, title: str, body: str) -> Document:
    counts = Counter(terms(body))
    for term in terms(title):
        counts[term] += TITLE_WEIGHT
    return Document(kind, ref, topic, title, body, counts, sum(counts.values()))


def documents(questions) -> list[Document]:
    from lambda_prep import explain

    docs = []
    for q in questions:
        shown = () if q.type == "true-false" else (*q.choices, *q.answer)  # not "True False True"
        body = " ".join([*shown, q.model_answer, *q.key_points, q.explanation, " ".join(q.tags)])
        docs.append(_document("question", q.id, q.topic, " ".join(q.prompt.split()), body))
    for topic, _summary, present in explain.available():
        if not present:
            continue
        for heading, text in sections(explain.read(topic)):
            docs.append(_document("explainer", f"{topic}#{heading}", topic, heading, text))
    return docs


def sections(markdown: str) -> list[tuple[str, str]]:
    parts = re.split(r"^## +(.+?)\s*$", markdown, flags=re.M)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def snippet(text: str, words: list[str], width: int = 160) -> str:
    flat = " ".join(text.split())
    lowered = flat.lower()
    hits = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(min(hits) - width // 3, 0) if hits else 0
    piece = flat[start:start + width]
    return ("..." if start else "") + piece + ("..." if start + width < len(flat) else "")


def search(questions, text: str, *, limit: int = 20) -> list[dict]:
    query = list(dict.fromkeys(terms(text)))
    if not query:
        return []
    docs = documents(questions)
    average = sum(d.length for d in docs) / max(len(docs), 1)
    frequency = Counter(t for d in docs for t in set(d.counts) if t in query)
    phrase = " ".join(text.lower().split())
    scored = []
    for d in docs:
        matched = [t for t in query if d.counts[t]]
        if not matched:
            continue
        score = 0.0
        for t in matched:
            idf = math.log(1 + (len(docs) - frequency[t] + 0.5) / (frequency[t] + 0.5))
            tf = d.counts[t]
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * d.length / average))
        if len(phrase.split()) > 1 and phrase in f"{d.title} {d.body}".lower():
            score *= 1.5
        # Documents holding every word come first, whatever their score.
        scored.append((len(matched), score, d))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].ref))
    raw_words = [w for w in WORD.findall(text.lower()) if w not in STOP]
    return [{"kind": d.kind, "id": d.ref if d.kind == "question" else None, "topic": d.topic,
             "section": d.title if d.kind == "explainer" else None,
             "title": d.title, "snippet": snippet(d.body, raw_words), "score": round(score, 3),
             "matched": n, "of": len(query)}
            for n, score, d in scored[:limit]]
