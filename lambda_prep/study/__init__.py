"""Studying: FSRS scheduling and grading (pure), the SQLite progress store, quiz sessions, stats."""
