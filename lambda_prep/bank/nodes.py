"""Loaded YAML values that remember their position (no yaml import: cached loads skip PyYAML)."""

from __future__ import annotations

Pos = tuple[int, int]  # 1-based line, column


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
