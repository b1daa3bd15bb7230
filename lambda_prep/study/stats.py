"""Progress figures for `stats` and `topics`: plain data, ready for JSON or a dashboard.

Aggregations over the review log run in SQL (grouped by local study day), so a history of
100,000 reviews stays fast; per-card figures are computed over the cards table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Sequence

from lambda_prep.bank.model import Question
from lambda_prep.study.scheduler import FSRS6_DEFAULT_DECAY, STATE_NAMES, day_bounds, retrievability, study_day


def _decay(store) -> float:
    """The forgetting curve's decay (w20) of the weights in use: the learner's fitted ones if any."""
    from lambda_prep.study.planning import weights

    return weights(store)[20]


def _topic_rows(questions: Sequence[Question], cards: dict, now: dt.datetime,
                decay: float = FSRS6_DEFAULT_DECAY) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for q in questions:
        row = rows.setdefault(q.topic, {"topic": q.topic, "questions": 0, "seen": 0, "new": 0, "learning": 0,
                                        "review": 0, "recall_sum": 0.0})
        row["questions"] += 1
        card = cards.get(q.id)
        if card is None:
            row["new"] += 1
            continue
        row["seen"] += 1
        row["review" if card.state == 2 else "learning"] += 1
        row["recall_sum"] += retrievability(card, now, decay)
    for row in rows.values():
        # Mean predicted recall over seen questions, weighted by the share of the topic seen:
        # equivalently, expected share of the whole topic you would answer right now.
        row["mastery"] = round(row.pop("recall_sum") / row["questions"], 4) if row["questions"] else 0.0
    return rows


def topic_overview(store, questions: Sequence[Question], now: dt.datetime) -> list[dict]:
    """Every topic with its question count and the learner's mastery."""
    from lambda_prep.topics import TOPICS

    rows = _topic_rows(questions, store.cards(), now, _decay(store))
    order = list(TOPICS) + sorted(t for t in rows if t not in TOPICS)
    return [{"topic": t, "questions": rows[t]["questions"], "seen": rows[t]["seen"], "mastery": rows[t]["mastery"],
             "summary": TOPICS.get(t, "your own topic")} for t in order if t in rows]


def compute(store, questions: Sequence[Question], now: dt.datetime, *, day_start_hour: int = 4,
            heatmap_weeks: int = 26, cards: dict | None = None) -> dict:
    """cards: the cards as the screens show them (library.planned_cards: due dates cut by an interview
    plan); default the stored ones."""
    cards = store.cards() if cards is None else cards
    live_ids = {q.id for q in questions}
    rows = _topic_rows(questions, cards, now, _decay(store))

    accuracy = {topic: (answered, correct) for topic, answered, correct in store.query(
        "SELECT topic, count(*), sum(correct) FROM reviews GROUP BY topic")}
    topics = []
    for topic in sorted(rows):
        answered, correct = accuracy.get(topic, (0, 0))
        row = dict(rows[topic])
        row["reviews"] = answered
        row["accuracy"] = round(correct / answered, 4) if answered else None
        topics.append(row)

    # Due forecast per study day: day 0 is today and includes everything overdue.
    today = study_day(now, day_start_hour)
    forecast = Counter()
    for qid, card in cards.items():
        if qid not in live_ids:
            continue  # removed from the banks: kept in history, never asked again
        offset = max((study_day(card.due, day_start_hour) - today).days, 0)
        if offset < 30:
            forecast[offset] += 1
    forecast_days = [{"date": (today + dt.timedelta(days=i)).isoformat(), "due": forecast.get(i, 0)}
                     for i in range(30)]

    per_day = _reviews_per_day(store, day_start_hour)
    streak = _streak(per_day, today)
    first_day = today - dt.timedelta(days=heatmap_weeks * 7 - 1)
    heatmap = [{"date": (first_day + dt.timedelta(days=i)).isoformat(),
                "reviews": per_day.get(first_day + dt.timedelta(days=i), 0)}
               for i in range(heatmap_weeks * 7)]

    totals = store.query("SELECT count(*), coalesce(sum(correct), 0) FROM reviews")[0]
    # True retention as Anki defines it: passes among reviews of cards that were in review state.
    mature = store.query("SELECT count(*), coalesce(sum(rating > 1), 0) FROM reviews WHERE state_before = 2")[0]
    states = Counter(STATE_NAMES[c.state] for qid, c in cards.items() if qid in live_ids)
    start, _ = day_bounds(now, day_start_hour)
    return {
        "generated_at": now.isoformat(timespec="seconds"),
        "questions": len(questions),
        "seen": sum(r["seen"] for r in topics),
        "reviews": totals[0],
        "accuracy": round(totals[1] / totals[0], 4) if totals[0] else None,
        "true_retention": round(mature[1] / mature[0], 4) if mature[0] else None,
        "reviews_today": per_day.get(today, 0),
        "states": {"new": len(questions) - sum(states.values()), "learning": states["learning"] + states["relearning"],
                   "review": states["review"]},
        "mastery": round(sum(r["mastery"] * r["questions"] for r in topics) / len(questions), 4) if questions else 0.0,
        "topics": topics,
        "due": {"now": forecast.get(0, 0), "next_7_days": sum(forecast.get(i, 0) for i in range(7)),
                "next_30_days": sum(forecast.get(i, 0) for i in range(30))},
        "forecast": forecast_days,
        "streak": streak,
        "day_starts": start.astimezone().strftime("%H:%M local"),
        "heatmap": heatmap,
    }


def _reviews_per_day(store, day_start_hour: int) -> dict[dt.date, int]:
    # SQLite's 'localtime' uses the same zone as Python's astimezone(), so days agree with study_day().
    rows = store.query(
        "SELECT date(reviewed_at, 'localtime', ?), count(*) FROM reviews GROUP BY 1",
        (f"-{day_start_hour} hours",))
    return {dt.date.fromisoformat(day): n for day, n in rows if day}


def _streak(per_day: dict[dt.date, int], today: dt.date) -> dict:
    """Consecutive study days with reviews, up to today (or yesterday, if today has none yet)."""
    day = today if per_day.get(today) else today - dt.timedelta(days=1)
    current = 0
    while per_day.get(day):
        current += 1
        day -= dt.timedelta(days=1)
    longest = run = 0
    previous = None
    for day in sorted(per_day):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    return {"current": current, "longest": longest, "studied_today": bool(per_day.get(today))}
