"""Where data and content live.

Data: $LAMBDA_PREP_HOME if set, else the platform's user data directory.
Content: inside the installed package (the wheel copies content/ there), else the checkout's content/.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "lambda-prep"
HOME_ENV = "LAMBDA_PREP_HOME"
_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # lazy: only commands that touch data pay for it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    return data_dir() / "progress.db"


def user_banks_dir() -> Path:
    return data_dir() / "banks"


def cache_dir() -> Path:
    return data_dir() / "cache"


def content_dir() -> Path:
    installed = _PACKAGE_DIR / "content"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "content"


def builtin_banks_dir() -> Path:
    return content_dir() / "banks"


def explainers_dir() -> Path:
    return content_dir() / "explain"


def myths_dir() -> Path:
    return content_dir() / "myths"
