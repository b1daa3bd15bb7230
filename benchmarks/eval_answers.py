"""Precision and recall of the answer checker on typed answers written per key point.

Data: tests/data/answer_eval.yaml (ten recall questions from the banks; per key point a paraphrase
that must count and a wrong claim about the same subject that must not; unrelated texts).

- A paraphrase checked alone covers its own point: true positive; else a false negative.
- A wrong claim checked alone that covers its point: a false positive.
- An unrelated text covering any point: a false positive per point.
- A paraphrase covering *another* point of the question is reported apart (it may be fair).
- Whole answers (every paraphrase of a question joined) must score >= 0.9; unrelated <= 0.15.

Also times one check of a whole answer (target <= 50 ms).

    python benchmarks/eval_answers.py [--verbose] [--threshold 0.6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lambda_prep.study import answers  # noqa: E402

DATA = REPO / "tests" / "data" / "answer_eval.yaml"
HOLDOUT = REPO / "tests" / "data" / "answer_eval_holdout.yaml"  # never tuned against


def evaluate(data: dict, verbose: bool = False) -> dict:
    tp = fn = fp_wrong = fp_unrelated = cross = 0
    whole_scores, unrelated_scores = [], []
    for q in data["questions"]:
        points = q["key_points"]
        for index, item in enumerate(q["answers"]):
            said = answers.check(item["said"], points)
            if index in said.covered:
                tp += 1
            else:
                fn += 1
                if verbose:
                    print(f"MISSED  {q['id']}#{index + 1}: {item['said']!r} -> {said.points[index]}")
            cross += len([i for i in said.covered if i != index])
            wrong = answers.check(item["wrong"], points)
            if index in wrong.covered:
                fp_wrong += 1
                if verbose:
                    print(f"WRONG+  {q['id']}#{index + 1}: {item['wrong']!r} -> {wrong.points[index].evidence}")
        whole = answers.check(" ".join(a["said"] for a in q["answers"]), points)
        whole_scores.append((q["id"], whole.score))
        for text in data["unrelated"]:
            result = answers.check(text, points)
            fp_unrelated += len(result.covered)
            unrelated_scores.append(result.score)
    fp = fp_wrong + fp_unrelated
    return {
        "points": tp + fn, "tp": tp, "fn": fn, "fp_wrong": fp_wrong, "fp_unrelated": fp_unrelated,
        "cross": cross,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "whole": whole_scores,
        "max_unrelated": max(unrelated_scores) if unrelated_scores else 0.0,
    }


def model_answers(verbose: bool = False) -> dict:
    """Every recall question's own model answer checked against its key points: written by the
    content authors, not for this checker, so a fairer test of recall on natural answers."""
    from lambda_prep import library

    scores = []
    for q in library.load_all_banks().questions:
        if q.type != "recall":
            continue
        result = answers.check(q.model_answer, q.key_points, q.phrasings)
        scores.append((result.score, bool(q.phrasings), len(result.covered), len(q.key_points)))
        if verbose:
            for point in result.points:
                if not point.covered:
                    print(f"MODEL   {q.id}: not covered by its model answer: {point.point!r}")
    with_phr = [s for s in scores if s[1]]
    return {
        "questions": len(scores),
        "points": sum(s[3] for s in scores), "covered": sum(s[2] for s in scores),
        "at_least_0_9": sum(1 for s in scores if s[0] >= 0.9),
        "with_phrasings": len(with_phr),
        "with_phrasings_covered": sum(s[2] for s in with_phr), "with_phrasings_points": sum(s[3] for s in with_phr),
    }


def time_check(data: dict, runs: int = 50) -> tuple[float, float]:
    """Median and max ms for checking a whole answer (caches cleared each run: a new answer)."""
    q = max(data["questions"], key=lambda q: len(q["key_points"]))
    text = " ".join(a["said"] for a in q["answers"]) * 2  # a long answer, ~200 words
    samples = []
    for _ in range(runs):
        answers._analyse.cache_clear()
        answers._wording.cache_clear()
        answers._similar.cache_clear()
        start = time.perf_counter()
        answers.check(text, q["key_points"])
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss and false positive")
    parser.add_argument("--threshold", type=float, default=None, help="try another coverage threshold")
    args = parser.parse_args()
    if args.threshold is not None:
        answers.THRESHOLD = args.threshold
    data = yaml.safe_load(DATA.read_text())
    for name, path in (("tuning set", DATA), ("held-out set", HOLDOUT)):
        data_set = yaml.safe_load(path.read_text())
        r = evaluate(data_set, args.verbose)
        print(f"{name}: questions {len(data_set['questions'])}, key points {r['points']}, "
              f"threshold {answers.THRESHOLD}")
        print(f"  paraphrases covering their point: {r['tp']}/{r['points']}  (recall {r['recall']:.1%})")
        print(f"  wrong claims covering their point: {r['fp_wrong']}/{r['points']}")
        print(f"  unrelated texts covering a point: {r['fp_unrelated']} of "
              f"{len(data_set['unrelated']) * r['points']} checks")
        print(f"  precision {r['precision']:.1%}  (false positives: {r['fp_wrong']} wrong + "
              f"{r['fp_unrelated']} unrelated)")
        print(f"  paraphrases also covering another point of the question: {r['cross']}")
        low = min(score for _, score in r["whole"])
        print(f"  whole answers (every point stated): min score {low:.2f} "
              f"({', '.join(f'{qid} {s:.2f}' for qid, s in r['whole'] if s < 1) or 'all 1.00'})")
        print(f"  unrelated answers: max score {r['max_unrelated']:.2f}")
    m = model_answers(args.verbose)
    print(f"model answers against their own key points: {m['covered']}/{m['points']} points covered "
          f"({m['covered'] / m['points']:.1%}); {m['at_least_0_9']} of {m['questions']} score >= 0.9; "
          f"questions whose key points have phrasings: {m['with_phrasings_covered']}/{m['with_phrasings_points']} "
          f"({m['with_phrasings_covered'] / max(m['with_phrasings_points'], 1):.1%}) over {m['with_phrasings']}")
    median, worst = time_check(data)
    print(f"checking a ~200-word answer against 6 key points: median {median:.1f} ms, max {worst:.1f} ms "
          f"(target <= 50 ms)")


if __name__ == "__main__":
    main()
