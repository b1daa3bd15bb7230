"""Loaded YAML values that remember their position, and the limits on a bank file.

No yaml import here: cached loads skip PyYAML.
"""

from __future__ import annotations

import itertools

Pos = tuple[int, int]  # 1-based line, column

# Limits on one bank file (documented in docs/bank-format.md; change them there too). Generous for
# any bank a person writes: the built-in banks have about 1,000 values each, nest 5 levels deep,
# use no aliases, and their longest text is about 1,000 characters.
MAX_FILE_BYTES = 8 * 1024 * 1024  # checked before reading; a 10,000-question bank is about 5 MB
MAX_QUESTIONS = 10_000  # items in the `questions:` list
MAX_ITEMS = 1_000  # items in any other list or mapping
MAX_NODES = 500_000  # values of any kind (a question has about 30)
MAX_ALIAS_NODES = 10_000  # values reached through aliases, counting every expansion
MAX_DEPTH = 32  # lists and mappings inside each other (a bank needs 5)
MAX_TEXT = 20_000  # characters in one value


class LocDict(dict):
    pos: Pos = (1, 1)
    key_pos: dict
    value_pos: dict


class LocList(list):
    pos: Pos = (1, 1)
    item_pos: list


class LoadError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def preview(value: object, limit: int = 60, *, quote: bool = True) -> str:
    """A short one-line picture of a value for a message, never the whole of a long one.

    Values reached through aliases can be enormous (a 1 KB file can describe billions of items),
    so lists and mappings are shown two levels deep and three items wide, and the result is cut
    at `limit` characters.
    """
    if isinstance(value, str):
        cut = value if len(value) <= limit else value[:limit - 1] + "…"
        return repr(cut) if quote else "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in cut)
    text = _short(value, 2)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _short(value: object, depth: int) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, (bytes, bytearray)):
        return repr(bytes(value[:40]))
    if isinstance(value, (list, tuple)):
        if depth == 0 or not value:
            return f"[{len(value)} items]" if value else "[]"
        inner = ", ".join(_short(item, depth - 1) for item in value[:3])
        return f"[{inner}{f', … {len(value)} items' if len(value) > 3 else ''}]"
    if isinstance(value, dict):
        if depth == 0 or not value:
            return f"{{{len(value)} keys}}" if value else "{}"
        pairs = [f"{_short(k, 0)}: {_short(v, depth - 1)}" for k, v in itertools.islice(value.items(), 3)]
        return f"{{{', '.join(pairs)}{f', … {len(value)} keys' if len(value) > 3 else ''}}}"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"a {len(str(value)):,}-digit number"
    return repr(value)
