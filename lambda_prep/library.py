"""What the commands do, as plain functions over the library (no typer, no terminal).

The CLI module only wires arguments to these.
"""

from __future__ import annotations

from pathlib import Path

from lambda_prep import paths


def load_all_banks(extra: list[Path] | None = None, *, include_user: bool = True):
    """The built-in banks, the user's banks folder and any extra files or folders."""
    from lambda_prep.bank import load_banks

    sources = [paths.builtin_banks_dir()]
    user_dir = paths.user_banks_dir()
    if include_user and user_dir.is_dir():
        sources.append(user_dir)
    sources.extend(extra or [])
    return load_banks(sources, cache=paths.cache_dir(), display_root=Path.cwd())


def validate(extra: list[Path]):
    return load_all_banks(extra)
