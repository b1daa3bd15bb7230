"""Safe YAML loading that remembers where every value came from.

Built on libyaml's CSafeLoader (about 7x faster than the pure-Python loader). Tags that would
construct objects (`!!python/object`, any custom `!tag`) have no constructor in the safe loader,
so they fail to load instead of running anything. Duplicate keys, which PyYAML silently lets the
last one win, are an error here.
"""

from __future__ import annotations

import yaml

from lambda_prep.bank.nodes import LoadError, LocDict, LocList, Pos

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pos(node) -> Pos:
    return node.start_mark.line + 1, node.start_mark.column + 1


class PositionLoader(_Base):
    """A safe loader whose mappings and sequences carry positions.

    `raw` maps the position of every scalar YAML turned into something other than text
    (booleans, numbers, dates, null) to the text as written, so validation can say
    "YAML read `yes` as true" instead of just "expected text".
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.raw: dict[Pos, str] = {}


def _construct_map(loader: PositionLoader, node) -> LocDict:
    loader.flatten_mapping(node)  # keep `<<: *anchor` merges working
    out = LocDict()
    out.pos, out.key_pos, out.value_pos = _pos(node), {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in out
        except TypeError:  # an unhashable key, e.g. a list used as a key
            raise LoadError(*_pos(key_node), "a mapping key must be plain text") from None
        if duplicate:
            first = out.key_pos[key][0]
            raise LoadError(*_pos(key_node), f"duplicate key {key!r} (first at line {first})")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_pos[key] = _pos(key_node)
        out.value_pos[key] = _pos(value_node)
    return out


def _construct_seq(loader: PositionLoader, node) -> LocList:
    out = LocList(loader.construct_object(child, deep=True) for child in node.value)
    out.pos, out.item_pos = _pos(node), [_pos(child) for child in node.value]
    return out


def _remember_raw(construct):
    def wrapped(loader: PositionLoader, node):
        loader.raw[_pos(node)] = node.value
        return construct(loader, node)

    return wrapped


PositionLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
PositionLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
for _tag, _construct in [
    ("bool", yaml.constructor.SafeConstructor.construct_yaml_bool),
    ("int", yaml.constructor.SafeConstructor.construct_yaml_int),
    ("float", yaml.constructor.SafeConstructor.construct_yaml_float),
    ("timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp),
    ("null", yaml.constructor.SafeConstructor.construct_yaml_null),
]:
    PositionLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _remember_raw(_construct))


def load(text: str | bytes) -> tuple[object, dict[Pos, str]]:
    """Parse one YAML document; return the data and the raw text of its non-text scalars.

    Raises LoadError with a position for syntax errors, duplicate keys and unsafe tags.
    """
    loader = PositionLoader(text)
    try:
        data = loader.get_single_data()
    except LoadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if "could not determine a constructor" in problem:
            problem = f"{problem}; tags that build objects are not allowed in a bank"
        context = exc.context_mark
        if context is not None and exc.context and context is not mark:
            problem += f" ({exc.context} at line {context.line + 1})"
        raise LoadError(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, problem) from None
    except yaml.YAMLError as exc:  # e.g. a reader error for a control character
        raise LoadError(1, 1, str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()
    return data, loader.raw
