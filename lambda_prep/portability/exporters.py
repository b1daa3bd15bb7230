"""The banks as other tools read them: Anki's text import, CSV, and a Markdown study sheet.

One contract: an Exporter has a name, a file suffix, a one-line summary and `render(questions) ->
str`; EXPORTERS lists them explicitly (no import side effects). Output is deterministic: questions
in topic then id order, choices in bank order.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass
from typing import Callable, Sequence

from lambda_prep.bank.model import Question

LETTERS = "ABCDEFGH"  # a bank allows at most 8 choices


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    summary: str
    render: Callable[[Sequence[Question]], str]


def ordered(questions: Sequence[Question]) -> list[Question]:
    return sorted(questions, key=lambda q: (q.topic, q.id))


def _answer_letters(q: Question) -> list[str]:
    return [f"{LETTERS[q.choices.index(a)]}. {a}" for a in q.answer]


# --- Anki -----------------------------------------------------------------------------------------

# Anki 2.1.54+ reads these headers (anki-manual, importing/text-files.md, "File Headers").
# The guid column is the question id, so importing a newer export updates notes in place.
ANKI_COLUMNS = ("guid", "Front", "Back", "deck", "tags")


def _anki_field(text: str) -> str:
    # #html:true, so every field is escaped (Anki warns on stray tags), newlines become <br>, and
    # tabs (our separator) become spaces. Escaping quotes too means no field ever needs quoting.
    return html.escape(text, quote=True).replace("\t", " ").replace("\r\n", "\n").replace("\n", "<br>")


def _anki_front(q: Question) -> str:
    parts = [_anki_field(q.prompt)]
    if q.type in ("single", "multi"):
        items = "".join(f"<li>{LETTERS[i]}. {_anki_field(c)}</li>" for i, c in enumerate(q.choices))
        parts.append(f"<ul>{items}</ul>")
        if q.type == "multi":
            parts.append("<i>Select all that apply.</i>")
    elif q.type == "true-false":
        parts.append("<i>True or false?</i>")
    return "<br>".join(parts)


def _anki_back(q: Question) -> str:
    parts: list[str] = []
    if q.type == "recall":
        parts.append(_anki_field(q.model_answer))
        points = "".join(f"<li>{_anki_field(p)}</li>" for p in q.key_points)
        parts.append(f"<b>Key points</b><ul>{points}</ul>")
    else:
        parts.append("<b>" + "<br>".join(_anki_field(a) for a in _answer_letters(q) or q.answer) + "</b>")
    parts.append(_anki_field(q.explanation))
    links = "<br>".join(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>' for url in q.sources)
    parts.append(f"Sources:<br>{links}")
    return "<br><br>".join(parts)


def _anki_tags(q: Question) -> str:
    tags = [f"lambda-prep::{q.topic}", f"difficulty::{q.difficulty}", *(t.replace(" ", "_") for t in q.tags)]
    if q.myth:
        tags.append("myth")
    return " ".join(dict.fromkeys(tags))


def render_anki(questions: Sequence[Question]) -> str:
    lines = [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        "#deck:lambda-prep",
        f"#columns:{chr(9).join(ANKI_COLUMNS)}",
        f"#guid column:{ANKI_COLUMNS.index('guid') + 1}",
        f"#deck column:{ANKI_COLUMNS.index('deck') + 1}",
        f"#tags column:{ANKI_COLUMNS.index('tags') + 1}",
    ]
    for q in ordered(questions):
        row = (q.id, _anki_front(q), _anki_back(q), f"lambda-prep::{q.topic}", _anki_tags(q))
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


# --- CSV ------------------------------------------------------------------------------------------

# Every field of a question; lists and follow-ups as JSON so a spreadsheet round-trips exactly.
CSV_FIELDS = ("id", "topic", "type", "difficulty", "prompt", "choices", "answer", "model_answer", "key_points",
              "phrasings", "follow_ups", "explanation", "sources", "last_verified", "syllabus", "tags", "myth")
_JSON_FIELDS = {"choices", "answer", "key_points", "phrasings", "follow_ups", "sources", "syllabus", "tags"}


def render_csv(questions: Sequence[Question]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for q in ordered(questions):
        data = q.to_dict()
        writer.writerow([json.dumps(data[f], ensure_ascii=False) if f in _JSON_FIELDS
                         else "true" if data[f] is True else "false" if data[f] is False else data[f]
                         for f in CSV_FIELDS])
    return out.getvalue()


def read_csv(text: str) -> list[Question]:
    """The questions a CSV export holds (the inverse of render_csv)."""
    questions = []
    for row in csv.DictReader(io.StringIO(text)):
        data: dict = {f: json.loads(row[f]) if f in _JSON_FIELDS else row[f] for f in CSV_FIELDS}
        data["difficulty"] = int(data["difficulty"])
        data["myth"] = data["myth"] == "true"
        questions.append(Question.from_dict(data))  # follow-ups and phrasings come back as tuples
    return questions


# --- Markdown -------------------------------------------------------------------------------------


def _md(text: str) -> str:
    return " ".join(text.split())


def render_markdown(questions: Sequence[Question]) -> str:
    from lambda_prep.topics import TOPICS

    out: list[str] = ["# lambda-prep study sheet", ""]
    topic = None
    number = 0
    for q in ordered(questions):
        if q.topic != topic:
            topic, number = q.topic, 0
            summary = TOPICS.get(topic)
            out += [f"## {topic}", ""] + ([f"_{summary}_", ""] if summary else [])
        number += 1
        out += [f"### {number}. {_md(q.prompt)}", "", f"`{q.id}` · {q.type} · difficulty {q.difficulty}", ""]
        if q.type in ("single", "multi"):
            out += [f"- {LETTERS[i]}. {_md(c)}" for i, c in enumerate(q.choices)] + [""]
            out += [f"**Answer:** {'; '.join(_md(a) for a in _answer_letters(q))}", ""]
        elif q.type == "true-false":
            out += [f"**Answer:** {q.answer[0]}", ""]
        else:
            out += [f"**Model answer:** {_md(q.model_answer)}", "", "**Key points:**", ""]
            out += [f"- {_md(p)}" for p in q.key_points] + [""]
            for follow_up in q.follow_ups:
                out += [f"**Follow-up:** {_md(follow_up.prompt)}", "", f"> {_md(follow_up.model_answer)}", ""]
        out += [f"**Why:** {_md(q.explanation)}", "", "**Sources:**", ""]
        out += [f"- <{url}>" for url in q.sources] + [""]
    return "\n".join(out)


EXPORTERS: dict[str, Exporter] = {
    e.name: e for e in (
        Exporter("anki", ".txt", "Anki text import (File > Import); re-importing updates notes in place", render_anki),
        Exporter("csv", ".csv", "one row per question, every field (lists as JSON)", render_csv),
        Exporter("markdown", ".md", "a readable study sheet, one section per topic", render_markdown),
    )
}
