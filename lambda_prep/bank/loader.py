"""Safe, bounded YAML loading that remembers where every value came from.

libyaml (CSafeLoader, about 7x faster than the pure-Python parser) turns the text into events;
this module builds the values from those events itself, instead of letting PyYAML compose a node
tree and construct it afterwards. That is what lets it bound its work while it goes: the number of
values, the values reached through aliases (a 1 KB "billion laughs" file would otherwise expand
to billions), the nesting depth and the length of any text are checked at each value, so a hostile
file is refused at the value that crosses a limit, in milliseconds and with little memory, and no
node tree is ever held in memory.

Everything that can go wrong becomes a LoadError with a line and column: syntax errors, control
characters and invalid UTF-8 (libyaml gives a byte offset; it is turned into line:col), scalars
that YAML's rules read as dates, numbers or booleans but that are not valid ones (`2026-13-01`,
`!!int "x"`, a 5,000-digit integer), unknown tags (tags that would build objects have no
constructor here, so they never run anything, on any value including a merge `<<:` value),
duplicate keys (PyYAML silently lets the last one win) and the limits above. Messages show at most
a short preview of any value.
"""

from __future__ import annotations

import yaml
from yaml.events import AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

from lambda_prep.bank.nodes import (MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_ITEMS, MAX_NODES, MAX_QUESTIONS,
                                    MAX_TEXT, LoadError, LocDict, LocList, Pos, preview)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml reports reader errors (control characters, invalid UTF-8) at a byte offset of the UTF-8
# text; the pure-Python reader at a character offset.
_BYTE_OFFSETS = _Base is not yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR, _MERGE = _TAG + "str", _TAG + "merge"
# Scalar tags and what a failure to read one is called. Their constructors come from PyYAML's
# SafeConstructor, so dates, numbers and booleans mean exactly what they mean in PyYAML.
_SCALAR_KINDS = {"bool": "boolean", "int": "integer", "float": "number", "timestamp": "date",
                 "null": "null", "binary": "base64 value"}
# The scalars whose text validation wants to quote back ("YAML reads unquoted `yes` as ...").
_REMEMBER_RAW = {_TAG + name for name in ("bool", "int", "float", "timestamp", "null")}
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
_BUSY = object()  # an anchor whose value is still being built


def _pos(event) -> Pos:
    return event.start_mark.line + 1, event.start_mark.column + 1


# The implicit rules (booleans, numbers, dates, null, merge) by first character. The shortcut in
# _plain_tag holds while PyYAML's safe resolver has no wildcard or path resolvers (true since 3.x).
_IMPLICIT = {first: tuple(rules) for first, rules in _Base.yaml_implicit_resolvers.items() if first is not None}
_SHORTCUT = None not in _Base.yaml_implicit_resolvers and not _Base.yaml_path_resolvers


class PositionLoader(_Base):
    """libyaml's safe parser, with a bounded builder of positioned values on top.

    `raw` maps the position of every scalar YAML turned into something other than text
    (booleans, numbers, dates, null) to the text as written, so validation can say
    "YAML read `yes` as true" instead of just "expected text".
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.raw: dict[Pos, str] = {}
        self._anchors: dict[str, tuple[object, int, int]] = {}  # name -> (value, size, line)
        self._nodes = 0
        self._aliased = 0
        self._tags: dict[str, str] = {}

    def build(self) -> object:
        """The single document's data (None for an empty file)."""
        get = self.get_event
        get()  # StreamStartEvent
        if self.check_event(StreamEndEvent):
            return None
        get()  # DocumentStartEvent
        data = self._value(get(), 1, MAX_ITEMS)[0]
        get()  # DocumentEndEvent
        if not self.check_event(StreamEndEvent):
            event = get()
            raise LoadError(*_pos(event), "expected a single document in the stream; but found another document")
        return data

    def _value(self, event, depth: int, limit: int, key: object = None) -> tuple[object, int]:
        """Build the value starting at `event`; return it and how many values it holds."""
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise LoadError(*_pos(event), f"more than {MAX_NODES:,} values in one bank; split it into several files")
        kind = type(event)
        if kind is ScalarEvent:
            value = self._scalar(event, key)
            size = 1
        elif kind is AliasEvent:
            return self._alias(event)
        else:
            if depth > MAX_DEPTH:
                raise LoadError(*_pos(event), f"nested more than {MAX_DEPTH} levels deep")
            if event.tag not in (None, "!", _SEQ if kind is SequenceStartEvent else _MAP):
                raise _tag_error(event)
            if event.anchor is not None:
                self._claim(event)
            if kind is SequenceStartEvent:
                value, size = self._sequence(event, depth, limit)
            else:
                value, size = self._mapping(event, depth, limit)
        if event.anchor is not None:
            if kind is ScalarEvent:
                self._claim(event)
            self._anchors[event.anchor] = (value, size, event.start_mark.line + 1)
        return value, size

    def _scalar(self, event, key: object) -> object:
        text = event.value
        if len(text) > MAX_TEXT:
            raise LoadError(*_pos(event), f"a text of {len(text):,} characters; at most {MAX_TEXT:,} are allowed")
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._plain_tag(text) if event.implicit[0] else _STR
        if tag == _STR or tag == _MERGE or tag == _TAG + "value":  # `<<` or `=` where a value goes: text
            return text
        kind = _SCALAR_KINDS.get(tag[len(_TAG):]) if tag.startswith(_TAG) else None
        if kind is None:
            raise _tag_error(event)
        node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
        try:
            value = self.yaml_constructors[tag](self, node)
        except Exception as exc:  # PyYAML raises ValueError, KeyError, AttributeError, IndexError...
            reason = str(exc).split(";")[0] if isinstance(exc, ValueError) else ""
            if reason.startswith(("invalid literal", "could not convert")):  # Python's words for "not a number"
                reason = ""
            if kind == "integer" and sum(ch.isdigit() for ch in text) > 4300:
                reason = "more than 4,300 digits"  # Python's limit on reading integers
            where = f"{preview(key, 40, quote=False)}: " if isinstance(key, str) else ""
            raise LoadError(*_pos(event), f"{where}{preview(text)} is not a valid {kind}"
                            f"{': ' + preview(reason, 90, quote=False) if reason else ''}"
                            f"{'' if event.tag not in (None, '!') else '; quote it if you meant text'}") from None
        if tag in _REMEMBER_RAW:
            self.raw[_pos(event)] = text
        return value

    def _alias(self, event) -> tuple[object, int]:
        name = event.anchor
        found = self._anchors.get(name)
        if found is None:
            raise LoadError(*_pos(event), f"found undefined alias *{preview(name, quote=False)}")
        value, size, _line = found
        if value is _BUSY:
            raise LoadError(*_pos(event), f"alias *{preview(name, quote=False)} is inside the value it names "
                                          "(a value that contains itself)")
        self._aliased += size
        if self._aliased > MAX_ALIAS_NODES:
            raise LoadError(*_pos(event), f"aliases expand to more than {MAX_ALIAS_NODES:,} values "
                                          "(a file that multiplies itself through aliases is refused)")
        return value, size

    def _claim(self, event) -> None:
        first = self._anchors.get(event.anchor)
        if first is not None:
            raise LoadError(*_pos(event), f"duplicate anchor &{preview(event.anchor, quote=False)} "
                                          f"(first at line {first[2]})")
        self._anchors[event.anchor] = (_BUSY, 0, event.start_mark.line + 1)

    def _sequence(self, start, depth: int, limit: int) -> tuple[LocList, int]:
        out, positions, size = LocList(), [], 1
        get = self.get_event
        while True:
            event = get()
            if type(event) is SequenceEndEvent:
                break
            if len(out) >= limit:
                raise LoadError(*_pos(event), f"a list of more than {limit:,} items")
            value, count = self._value(event, depth + 1, MAX_ITEMS)
            out.append(value)
            positions.append(_pos(event))
            size += count
        out.pos, out.item_pos = _pos(start), positions
        return out, size

    def _mapping(self, start, depth: int, limit: int) -> tuple[LocDict, int]:
        out, size = LocDict(), 1
        out.pos, out.key_pos, out.value_pos = _pos(start), {}, {}
        merges: list[LocDict] = []
        pairs = 0
        get = self.get_event
        while True:
            key_event = get()
            if type(key_event) is MappingEndEvent:
                break
            pairs += 1
            if pairs > limit:
                raise LoadError(*_pos(key_event), f"a mapping of more than {limit:,} keys")
            if type(key_event) is not ScalarEvent and type(key_event) is not AliasEvent:
                raise LoadError(*_pos(key_event), "a mapping key must be plain text")
            key, count = self._value(key_event, depth + 1, MAX_ITEMS)
            size += count
            if isinstance(key, (LocDict, LocList)):  # an alias to a list or mapping
                raise LoadError(*_pos(key_event), "a mapping key must be plain text")
            value_event = get()
            is_merge = key == "<<" and type(key_event) is ScalarEvent and self._is_merge_key(key_event)
            child_limit = MAX_QUESTIONS if depth == 1 and key == "questions" else MAX_ITEMS
            value, count = self._value(value_event, depth + 1, child_limit, key)
            size += count
            if is_merge:
                merges.extend(_merge_sources(value, value_event))
                continue
            if key in out:
                raise LoadError(*_pos(key_event), f"duplicate key {preview(key)} (first at line {out.key_pos[key][0]})")
            out[key] = value
            out.key_pos[key] = _pos(key_event)
            out.value_pos[key] = _pos(value_event)
        # YAML merge keys: the mapping's own keys win, then earlier merged mappings over later ones.
        for source in merges:
            for key, value in source.items():
                if key not in out:
                    out[key] = value
                    out.key_pos[key] = source.key_pos[key]
                    out.value_pos[key] = source.value_pos[key]
        return out, size

    def _is_merge_key(self, event) -> bool:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._plain_tag(event.value) if event.implicit[0] else _STR
        return tag == _MERGE

    def _plain_tag(self, text: str) -> str:
        """The tag YAML's implicit rules give a plain (unquoted) scalar: PyYAML's Resolver.resolve,
        without its generality, and remembered for short texts (keys repeat in every question)."""
        if not _SHORTCUT:
            return self.resolve(yaml.ScalarNode, text, (True, False))
        tag = self._tags.get(text)
        if tag is None:
            tag = next((tag for tag, pattern in _IMPLICIT.get(text[:1], ()) if pattern.match(text)), _STR)
            if len(text) <= 64 and len(self._tags) < 10_000:
                self._tags[text] = tag
        return tag


def _merge_sources(value: object, event) -> list[LocDict]:
    if isinstance(value, LocDict):
        return [value]
    if isinstance(value, LocList) and all(isinstance(item, LocDict) for item in value):
        return list(value)
    raise LoadError(*_pos(event), "a merge (<<) takes a mapping or a list of mappings")


def _tag_error(event) -> LoadError:
    tag = event.tag or ""
    shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
    if tag.startswith(_TAG) and tag[len(_TAG):] in ("set", "omap", "pairs", "seq", "map", "str"):
        return LoadError(*_pos(event), f"the tag {preview(shown)} does not fit here; a bank uses plain "
                                       "lists, mappings and text (remove the tag)")
    return LoadError(*_pos(event), f"could not determine a constructor for the tag {preview(shown)}; "
                                   "tags that build objects are not allowed in a bank")


def _offset_to_pos(data: bytes, offset: int, in_bytes: bool) -> Pos:
    """The line and column (1-based, in characters) of an offset into the text."""
    if not in_bytes:
        text = data.decode("utf-8", "replace")[:offset]
        return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
    prefix = data[:max(0, offset)]
    line_start = prefix.rfind(b"\n") + 1
    return prefix.count(b"\n") + 1, len(prefix[line_start:].decode("utf-8", "replace")) + 1


def load(text: str | bytes) -> tuple[object, dict[Pos, str]]:
    """Parse one YAML document; return the data and the raw text of its non-text scalars.

    Raises LoadError, with a line and column, for anything wrong with the text.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(1, 1, f"the file is {len(data) / 1024 / 1024:.1f} MB; a bank may be at most "
                              f"{MAX_FILE_BYTES // 1024 // 1024} MB (split it into several files)")
    loader = PositionLoader(data)
    try:
        return loader.build(), loader.raw
    except LoadError:
        raise
    except yaml.reader.ReaderError as exc:  # a control character or invalid UTF-8, at an offset
        offset = exc.position
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        if "control" in exc.reason or "special" in exc.reason:
            message = f"unacceptable character #x{char:04x}: {exc.reason}"
        else:
            if _BYTE_OFFSETS and "trailing" in exc.reason:
                # libyaml points at the byte after the one that started the broken character.
                start = offset
                while start > max(0, offset - 3) and not 0xC0 <= data[start] <= 0xFF:
                    start -= 1
                offset = start if 0xC0 <= data[start] <= 0xFF else offset
            byte = f"byte #x{data[offset]:02x}; " if _BYTE_OFFSETS and 0 <= offset < len(data) else ""
            message = f"invalid UTF-8 ({byte}{exc.reason}); save the file as UTF-8 text"
        line, col = _offset_to_pos(data, offset, _BYTE_OFFSETS)
        raise LoadError(line, col, preview(message, 200, quote=False)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        context = exc.context_mark
        if context is not None and exc.context and context is not mark:
            problem += f" ({exc.context} at line {context.line + 1})"
        raise LoadError(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                        preview(problem, 300, quote=False)) from None
    except yaml.YAMLError as exc:
        raise LoadError(1, 1, preview(str(exc).splitlines()[0] if str(exc) else "invalid YAML", 300, quote=False)) from None
    finally:
        loader.dispose()
