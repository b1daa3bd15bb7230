"""The SnapStart-on-container-images erratum: nothing a learner reads says images cannot use it.

Current AWS docs (snapstart-runtime-hooks-custom.html) describe SnapStart for container images:
Lambda's Java 11+, Python 3.12+ and .NET 8+ base images coordinate the snapshot lifecycle, other
images implement the snapshot hooks or carry the SnapStart label. The check uses the mock
interview's own myth detector (content/myths/containers.yaml), so the guard and the detector agree
on what "stating the old belief" means.
"""

from __future__ import annotations

import io
import re

from typer.testing import CliRunner

from lambda_prep import paths
from lambda_prep.bank import load_banks
from lambda_prep.cli import app
from lambda_prep.drills import registry as drills
from lambda_prep.sims import container_image, facts
from lambda_prep.study.myths import detect, load_myths, sentences

runner = CliRunner()
MYTH_ID = "ctr-snapstart-no-images"
QUESTIONS = load_banks([paths.builtin_banks_dir()]).questions
MYTHS = load_myths([paths.myths_dir()])
MYTH = next(m for m in MYTHS.myths if m.id == MYTH_ID)
# A trap written as a bold quoted belief ("**"SnapStart doesn't work with images."**") is the belief
# being corrected, not stated.
QUOTED_BELIEF = re.compile(r'\*\*"[^"]*"\*\*')


def _question_texts() -> list[tuple[str, str]]:
    texts = []
    for q in QUESTIONS:
        # A true-false prompt whose answer is False states a belief on purpose; so do distractors.
        if not (q.type == "true-false" and q.answer == ("False",)):
            texts.append((q.id, q.prompt))
        texts += [(q.id, q.explanation), (q.id, q.model_answer)]
        texts += [(q.id, c) for c in q.answer if q.type in ("single", "multi")]
        texts += [(q.id, p) for p in q.key_points]
        texts += [(q.id, ph) for group in q.phrasings for ph in group]
        for f in q.follow_ups:
            texts += [(q.id, f.prompt), (q.id, f.model_answer)]
            texts += [(q.id, p) for p in f.key_points]
            texts += [(q.id, ph) for group in f.phrasings for ph in group]
    return texts


def _explainer_texts() -> list[tuple[str, str]]:
    return [(path.name, QUOTED_BELIEF.sub("", path.read_text(encoding="utf-8")))
            for path in sorted((paths.content_dir() / "explain").glob("*.md"))]


def _sim_texts() -> list[tuple[str, str]]:
    from rich.console import Console

    from lambda_prep.views.sims import container_image as view

    texts = []
    for runtime in container_image.RUNTIMES:
        result = container_image.run(container_image.Params(runtime=runtime, snapstart=True))
        out = io.StringIO()
        console = Console(file=out, width=200, color_system=None)
        for renderable in view.render(result, 200):
            console.print(renderable)
        texts.append((f"container-image view ({runtime})", out.getvalue()))
    for sim in ("container-image", "cold-start", "lifecycle"):
        texts.append((f"{sim} --help", runner.invoke(app, ["simulate", sim, "--help"], terminal_width=200).output))
    for seed in range(20):
        drill = drills.get("package-type").generate(seed)
        texts.append((f"package-type drill {seed}", drill.explanation))
    return texts


def _myth_texts() -> list[tuple[str, str]]:
    return [(m.id, m.correction) for m in MYTHS.myths]


TEXTS = _question_texts() + _explainer_texts() + _sim_texts() + _myth_texts()


def test_the_detector_knows_the_old_belief():
    """Otherwise the scan below could pass by catching nothing."""
    for said in ("SnapStart does not support container images.", "Layers and SnapStart are zip-only features.",
                 "If we ship it as an image we lose SnapStart."):
        assert [c.myth.id for c in detect(said, [MYTH])] == [MYTH_ID], said
    assert "ctr-tf-snapstart-image" in MYTH.questions
    assert "snapstart-runtime-hooks-custom" in MYTH.source


def test_no_learner_text_says_snapstart_is_unavailable_for_images():
    stated = [(where, s) for where, text in TEXTS for s in sentences(text) if MYTH.stated_in(s)]
    assert not stated, stated


def test_the_myth_question_teaches_the_correction():
    q = next(q for q in QUESTIONS if q.id == "ctr-tf-snapstart-image")
    assert q.myth and q.answer == ("False",) and q.last_verified == "2026-12-07"
    assert q.sources[0] == facts.SNAPSTART_CONTAINER_IMAGES.source
    assert 'com.amazonaws.lambda.feature.snapstart="Allow"' in q.explanation and "/restore/next" in q.explanation
    # Typed in the mock interview, the old belief is flagged with this question to review.
    caught = detect("I would avoid images here. SnapStart doesn't work with container images.", MYTHS.myths)
    assert [c.myth.id for c in caught] == [MYTH_ID]


def test_facts_no_longer_list_snapstart_among_image_limits():
    assert "SnapStart" not in facts.IMAGE_NOT_SUPPORTED.value
    assert set(facts.IMAGE_NOT_SUPPORTED.value) == {"layers", "code signing", "the console code editor"}
    assert facts.SNAPSTART_IMAGE_LABEL.source == facts.SNAPSTART_CONTAINER_IMAGES.source
    # A .zip (managed runtime) still needs Java 11+, Python 3.12+ or .NET 8+.
    assert facts.SNAPSTART_RUNTIMES.value == ("java", "python", "dotnet")


def test_image_questions_touched_by_the_erratum_are_dated_and_cite_the_page():
    hooks = facts.SNAPSTART_CONTAINER_IMAGES.source
    changed = ["ctr-existing-web-app", "ctr-zip-vs-image", "ctr-startup-cost", "ctr-image-cold-start",
               "ctr-tf-snapstart-image", "ctr-image-unsupported-features", "lim-layers-size",
               "lim-tf-image-escape", "wn-snapstart-runtimes", "cs-snapstart-explain", "cs-snapstart-runtimes"]
    by_id = {q.id: q for q in QUESTIONS}
    for qid in changed:
        assert by_id[qid].last_verified == "2026-12-07", qid
        assert hooks in by_id[qid].sources, qid
    multi = by_id["ctr-image-unsupported-features"]
    assert "SnapStart" in multi.choices and "SnapStart" not in multi.answer
    assert "A Java 21 container image function published as a version" in by_id["wn-snapstart-runtimes"].answer
