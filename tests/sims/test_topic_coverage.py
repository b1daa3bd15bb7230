"""Every topic has a simulation, and every explainer's "Try it" names one that teaches its topic.

(That every `simulate` line in a "Try it" runs is tests/test_explain.py's job.)
"""

from __future__ import annotations

import shlex

import pytest

from lambda_prep.paths import explainers_dir
from lambda_prep.sims import registry
from lambda_prep.topics import TOPICS

def try_it_simulations(topic: str) -> set[str]:
    text = (explainers_dir() / f"{topic}.md").read_text(encoding="utf-8")
    body = text.split("## Try it", 1)[1].split("\n## ", 1)[0]
    return {shlex.split(line)[2] for line in body.splitlines() if line.startswith("lambda-prep simulate ")}


def teaching(topic: str) -> set[str]:
    return {s.name for s in registry.SIMULATIONS if s.topic == topic}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_has_a_simulation(topic):
    assert teaching(topic), f"no simulation in the registry teaches {topic}"


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_try_it_names_a_simulation_of_its_topic(topic):
    assert try_it_simulations(topic) & teaching(topic), \
        f"the {topic} explainer's Try it names none of {sorted(teaching(topic))}"


def test_every_registered_topic_is_a_real_topic():
    assert {s.topic for s in registry.SIMULATIONS} <= set(TOPICS)
