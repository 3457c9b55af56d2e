"""Safe YAML: plain data with the line of every key, duplicate keys, tags and aliases refused,
and every string, keys included, held to the one text rule (text.clean_text)."""

from types import MappingProxyType

import yaml
from yaml.constructor import SafeConstructor

from .problems import ContentError, Problem
from .text import clean_text

_CORE = "tag:yaml.org,2002:"
_SCALARS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MAX_BYTES = 2_000_000  # far above any hand-written file, far below what could stall a build


class Map(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line = 1
    lines = MappingProxyType({})  # an empty default; each loaded mapping gets its own
    raw = MappingProxyType({})  # the source text of each scalar value, e.g. '1.50' for 1.5


class Seq(list):
    """A YAML sequence that remembers the line of itself and of each item."""

    line = 1
    lines = ()


class _Refused(Exception):
    def __init__(self, mark, message, fix):
        self.line, self.message, self.fix = mark.line + 1, message, fix


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        # Refuse aliases before they are composed: an alias bomb never gets to expand.
        if self.check_event(yaml.AliasEvent):
            raise _Refused(
                self.peek_event().start_mark,
                "YAML aliases (*name) are not allowed",
                "write the value out in full instead of referring to an anchor",
            )
        return super().compose_node(parent, index)


def load(text, path):
    """Parse one YAML document into Map/Seq/scalars, or raise ContentError naming path:line."""

    def problem(line, message, fix):
        return ContentError([Problem(path, line, message, fix)])

    if len(text) > MAX_BYTES:
        raise problem(1, f"the file is larger than {MAX_BYTES} bytes", "split it into smaller files")
    try:
        return _fast(text)
    except Exception:  # the careful loader below says what is wrong, and where
        pass
    loader = None
    try:
        loader = _Loader(text)  # the reader checks every character here, before parsing
        node = loader.get_single_node()
        return _build(node, loader, set()) if node is not None else None
    except _Refused as e:
        raise problem(e.line, e.message, e.fix) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(filter(None, [e.context, e.problem]))
        raise problem(
            mark.line + 1 if mark else 1,
            f"this is not valid YAML ({what})",
            "check the indentation and put text containing ': ', '#' or a leading special"
            " character in quotes",
        ) from None
    except yaml.YAMLError as e:  # the reader's errors (a control character, bad encoding) have no mark
        line = text.count("\n", 0, getattr(e, "position", 0) or 0) + 1
        what = getattr(e, "reason", "unreadable text")
        raise problem(
            line,
            f"the text holds a character YAML does not allow ({what})",
            "delete the invisible or control character, often left by a paste",
        ) from None
    except RecursionError:
        raise problem(1, "the YAML is nested too deeply", "flatten the structure") from None
    finally:
        if loader is not None:
            loader.dispose()


def _fast(text):
    """libyaml's parser, ten times faster: a build reads thousands of notes. Whatever it finds
    unusual, an alias included, is raised and left to the careful loader to name and place."""
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        # An alias is written with '*': a text without one needs no watch for nodes met twice.
        return _build(node, loader, set() if "*" in text else None) if node is not None else None
    finally:
        loader.dispose()


class _CLoader(yaml.CSafeLoader):
    """CSafeLoader, resolving tags the same with less work: libyaml asks for every node's tag, and
    no path resolvers are set, so only a plain scalar's text is looked at."""

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


_STR = _CORE + "str"
_SEQ = _CORE + "seq"
_MAP = _CORE + "map"


def _build(node, loader, seen):
    """Map, Seq or scalar of a node; `seen` holds the nodes met so far, or is None when the text
    can hold no alias."""
    # libyaml composes an alias as the anchored node itself: meeting a node twice is an alias.
    if seen is not None:
        if id(node) in seen:
            raise _Refused(node.start_mark, "YAML aliases (*name) are not allowed", "write it out in full")
        seen.add(id(node))
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        return _scalar(node, loader)
    if kind is yaml.SequenceNode and tag == _SEQ:
        seq = Seq([_build(child, loader, seen) for child in node.value])
        seq.line, seq.lines = node.start_mark.line + 1, [c.start_mark.line + 1 for c in node.value]
        return seq
    if kind is yaml.MappingNode and tag == _MAP:
        return _mapping(node, loader, seen)
    raise _Refused(
        node.start_mark,
        f"the YAML tag {_short(tag)} is not allowed",
        "remove the tag and write a plain list or mapping",
    )


def _scalar(node, loader):
    tag = node.tag
    if tag == _STR:  # most values: the text itself
        return clean_text(node.value)
    if tag not in _SCALARS:
        raise _Refused(
            node.start_mark,
            f"the YAML tag {_short(tag)} is not allowed",
            "remove the tag and write the value as plain text",
        )
    try:
        value = SafeConstructor.yaml_constructors[tag](loader, node)
    except ValueError as e:
        raise _Refused(
            node.start_mark,
            f"{node.value!r} is not a possible value ({e})",
            "write a real date as YYYY-MM-DD, or quote the text",
        ) from None
    # An escape such as "\x00" or "\ud800" writes what the reader refuses raw: a feed writer dies on it.
    return clean_text(value) if isinstance(value, str) else value


def _mapping(node, loader, seen):
    mapping = Map()
    mapping.line, mapping.lines, mapping.raw = node.start_mark.line + 1, {}, {}
    lines, raw = mapping.lines, mapping.raw
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode:
            raise _Refused(
                key_node.start_mark, "a key must be plain text", "write the key as a single word or id"
            )
        key = _build(key_node, loader, seen)
        if key in mapping:
            raise _Refused(
                key_node.start_mark,
                f"duplicate key {key!r} (also on line {lines[key]})",
                "keep only one of them: YAML would silently drop the first",
            )
        mapping[key] = _build(value_node, loader, seen)
        lines[key] = key_node.start_mark.line + 1
        if type(value_node) is yaml.ScalarNode:
            raw[key] = value_node.value
    return mapping


def _short(tag):
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
