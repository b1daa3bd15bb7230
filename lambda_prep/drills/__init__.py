"""Scenario drills generated from the simulations' models: the learner predicts, the model answers.

drills never import study (architecture.md); study imports drills to schedule them as cards.
"""
