"""Moving things out of and between lambda-prep installs: question exports, progress files.

- exporters: the banks as Anki notes, CSV or a Markdown study sheet (an explicit registry).
- progress: the learner's history as a versioned file, and merging one into the local store.

Pure data in, data out: no terminal, no typer (tests/test_architecture.py holds this).
"""
