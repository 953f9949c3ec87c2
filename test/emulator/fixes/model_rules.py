"""The checks of model validation: one request's input against its botocore input shape.

The wire decides how a value looks (JSON values, or the flat strings of the query protocols
arranged as a tree of dotted names), so the walk over the shape is shared and each wire
only answers "what are this structure's members / this list's items / this scalar's text".
Checked: required members, unknown members, types, enums, string/blob lengths, numeric
ranges, list and map sizes, one member of a union, and patterns where that is safe. AWS's
validators match a pattern against the whole value (Java's matches(); IAM rejects the role
name "a b" against [\\w+=,.@-]+), so a value must match whole here too; a pattern Python might read otherwise
than Java (\\p{..}, class intersection, a nested class, anything that does not compile) is
skipped, since a wrong check would reject valid requests. Where the two differ on what they
accept (\\w, \\s, \\d and . are wider in Python), Python is the lenient one.
"""

import base64
import binascii
import math
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from botocore.model import Shape

# Problem kinds; each protocol maps them to the error code its service really uses.
MISSING, UNKNOWN, INVALID = "missing", "unknown", "invalid"

_VALUE_SHOWN = 64  # longer values are cut in messages
_patterns: dict[str, Optional[re.Pattern[str]]] = {}


def _pattern(text: str) -> Optional[re.Pattern[str]]:
    """The model's pattern compiled, or None when Python might read it otherwise than Java."""
    if text not in _patterns:
        compiled: Optional[re.Pattern[str]] = None
        if "&&" not in text:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")  # FutureWarning "Possible nested set": Java reads it otherwise
                    compiled = re.compile(text)
            except (re.error, FutureWarning, DeprecationWarning):
                compiled = None
        _patterns[text] = compiled
    return _patterns[text]


@dataclass
class Problem:
    kind: str
    path: str  # the member's name on the wire, dotted (list items 1-based)
    constraint: str  # "Member must not be null", ...
    value: Optional[str]  # shown in the message; None when absent or sensitive


class Node:
    """One dotted name of a query-protocol request: its own text and its children."""

    __slots__ = ("text", "children")

    def __init__(self) -> None:
        self.text: Optional[str] = None
        self.children: dict[str, "Node"] = {}

    @classmethod
    def tree(cls, params: list[tuple[str, str]]) -> "Node":
        root = cls()
        for key, text in params:
            node = root
            for part in key.split("."):
                node = node.children.setdefault(part, cls())
            node.text = text
        return root


# --- the wires -------------------------------------------------------------------------------------


class JsonWire:
    """JSON bodies (json 1.0/1.1, rest-json): typed values; `null` counts as absent."""

    strings = False

    def member_name(self, shape: Shape, name: str) -> str:
        return shape.serialization.get("name", name)

    def struct_members(self, value: Any) -> Optional[list[tuple[str, Any]]]:
        return [(k, v) for k, v in value.items() if v is not None] if isinstance(value, dict) else None

    def list_items(
        self, shape: Shape, value: Any, path: str, problems: list[Problem]
    ) -> Optional[list[tuple[str, Any]]]:
        if not isinstance(value, list):
            return None
        return [(f"{path}.{i}.member", v) for i, v in enumerate(value, 1)]

    def map_entries(
        self, shape: Shape, value: Any, path: str, problems: list[Problem]
    ) -> Optional[list[tuple[str, Any, Any]]]:
        if not isinstance(value, dict):
            return None
        return [(f"{path}.{k}", k, v) for k, v in value.items()]

    def scalar(self, value: Any) -> Any:
        return value


class QueryWire:
    """Form parameters of the query and ec2 protocols (botocore/serialize.py is the reference)."""

    strings = True

    def __init__(self, ec2: bool) -> None:
        self.ec2 = ec2

    def member_name(self, shape: Shape, name: str) -> str:
        if self.ec2:
            if "queryName" in shape.serialization:
                return shape.serialization["queryName"]
            located = shape.serialization.get("name")
            return located[0].upper() + located[1:] if located else name
        return shape.serialization.get("name", name)

    def struct_members(self, node: Node) -> Optional[list[tuple[str, Any]]]:
        if node.text is not None and not node.children:
            return None
        return list(node.children.items())

    def _indexed(self, node: Node, path: str, problems: list[Problem]) -> list[tuple[str, Node]]:
        items = []
        for key, child in node.children.items():
            if key.isdigit() and int(key) >= 1:
                items.append((int(key), f"{path}.{key}", child))
            else:
                problems.append(Problem(UNKNOWN, f"{path}.{key}", "is not a parameter of this operation", None))
        return [(p, c) for _, p, c in sorted(items, key=lambda item: item[0])]

    def _wrapped(self, node: Node, wrapper: str, path: str, problems: list[Problem]) -> list[tuple[str, Node]]:
        items: list[tuple[str, Node]] = []
        for key, child in node.children.items():
            if key == wrapper:
                items = self._indexed(child, f"{path}.{key}", problems)
            else:
                problems.append(Problem(UNKNOWN, f"{path}.{key}", "is not a parameter of this operation", None))
        return items

    def list_items(
        self, shape: Shape, node: Node, path: str, problems: list[Problem]
    ) -> Optional[list[tuple[str, Any]]]:
        if not node.children:
            # The SDKs send an empty list as "Name=" (botocore: "The query protocol serializes empty lists").
            return [] if node.text == "" else None
        if self.ec2 or shape.serialization.get("flattened"):
            return self._indexed(node, path, problems)
        return self._wrapped(node, shape.member.serialization.get("name", "member"), path, problems)

    def map_entries(
        self, shape: Shape, node: Node, path: str, problems: list[Problem]
    ) -> Optional[list[tuple[str, Any, Any]]]:
        if not node.children:
            return [] if node.text == "" else None
        if shape.serialization.get("flattened"):
            entries = self._indexed(node, path, problems)
        else:
            entries = self._wrapped(node, "entry", path, problems)
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        out = []
        for entry_path, entry in entries:
            for name in entry.children:
                if name not in (key_name, value_name):
                    problems.append(
                        Problem(UNKNOWN, f"{entry_path}.{name}", "is not a parameter of this operation", None)
                    )
            key, value = entry.children.get(key_name), entry.children.get(value_name)
            if key is None or key.text is None:
                problems.append(Problem(MISSING, f"{entry_path}.{key_name}", "Member must not be null", None))
                continue
            out.append((f"{entry_path}.{value_name}", key.text, value if value is not None else None))
        return out

    def scalar(self, node: Node) -> Any:
        return node.text if not node.children else None


# --- the walk ----------------------------------------------------------------------------------------


class Checker:
    def __init__(self, wire: Any) -> None:
        self.wire = wire
        self.problems: list[Problem] = []

    def _add(self, kind: str, path: str, constraint: str, shape: Optional[Shape], value: Any = None) -> None:
        shown = None
        if value is not None and not (shape is not None and shape.metadata.get("sensitive")):
            text = value if isinstance(value, str) else _json_text(value)
            shown = text if len(text) <= _VALUE_SHOWN else text[:_VALUE_SHOWN] + "..."
        self.problems.append(Problem(kind, path, constraint, shown))

    def structure(self, shape: Shape, value: Any, path: str, skip: frozenset[str] = frozenset()) -> None:
        """Check a structure; members named in `skip` are not expected on this wire (rest-json locations)."""
        members = self.wire.struct_members(value)
        if members is None:
            self._add(INVALID, path, "Member must be a structure", shape, value)
            return
        by_wire: dict[str, tuple[str, Shape]] = {}
        for name, member in shape.members.items():
            if name in skip:
                continue
            by_wire[self.wire.member_name(member, name)] = (name, member)
            flattened = member.type_name == "list" and member.serialization.get("flattened")
            if isinstance(self.wire, QueryWire) and flattened:
                renamed = member.member.serialization.get("name")
                if renamed:
                    by_wire.setdefault(renamed, (name, member))
        present: set[str] = set()
        for key, child in members:
            known = by_wire.get(key)
            child_path = f"{path}.{key}" if path else key
            if known is None:
                self._add(UNKNOWN, child_path, "is not a parameter of this operation", None)
                continue
            present.add(known[0])
            self.value(known[1], child, child_path)
        for name in shape.required_members:
            if name not in present and name not in skip:
                wire_name = self.wire.member_name(shape.members[name], name)
                self._add(MISSING, f"{path}.{wire_name}" if path else wire_name, "Member must not be null", None)
        if shape.is_tagged_union and len(present) > 1:
            self._add(INVALID, path or shape.name, "Only one member of the union may be set", None)

    def value(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                return  # any JSON value
            self.structure(shape, value, path)
        elif kind == "list":
            items = self.wire.list_items(shape, value, path, self.problems)
            if items is None:
                self._add(INVALID, path, "Member must be a list", shape, value)
                return
            self._size(shape, len(items), path, "length")
            for item_path, item in items:
                if item is None and not self.wire.strings:
                    self._add(MISSING, item_path, "Member must not be null", None)
                else:
                    self.value(shape.member, item, item_path)
        elif kind == "map":
            entries = self.wire.map_entries(shape, value, path, self.problems)
            if entries is None:
                self._add(INVALID, path, "Member must be a map", shape, value)
                return
            self._size(shape, len(entries), path, "length")
            for entry_path, key, item in entries:
                self.scalar(shape.key, key, entry_path)
                if item is None:
                    self._add(MISSING, entry_path, "Member must not be null", None)
                else:
                    self.value(shape.value, item, entry_path)
        else:
            self.scalar(shape, self.wire.scalar(value), path)

    def scalar(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if value is None:
            self._add(INVALID, path, f"Member must be a {kind}", shape)
            return
        strings = self.wire.strings
        if kind == "string":
            if not isinstance(value, str):
                self._add(INVALID, path, "Member must be a string", shape, value)
                return
            if shape.enum and value not in shape.enum:
                self._add(INVALID, path, f"Member must satisfy enum value set: [{', '.join(shape.enum)}]", shape, value)
            self._size(shape, len(value), path, "length", value)
            text = shape.metadata.get("pattern")
            compiled = _pattern(text) if text else None
            if compiled is not None and not compiled.fullmatch(value):
                self._add(INVALID, path, f"Member must satisfy regular expression pattern: {text}", shape, value)
        elif kind in ("integer", "long"):
            number = _integer(value, strings)
            if number is None:
                self._add(INVALID, path, f"Member must be an {kind}", shape, value)
                return
            self._size(shape, number, path, "value", value)
        elif kind in ("double", "float"):
            number = _number(value, strings)
            if number is None:
                self._add(INVALID, path, f"Member must be a {kind}", shape, value)
                return
            self._size(shape, number, path, "value", value)
        elif kind == "boolean":
            ok = value in ("true", "false") if strings else isinstance(value, bool)
            if not ok:
                self._add(INVALID, path, "Member must be a boolean", shape, value)
        elif kind == "timestamp":
            if not _timestamp(value, strings):
                self._add(INVALID, path, "Member must be a timestamp", shape, value)
        elif kind == "blob":
            if not isinstance(value, str):
                self._add(INVALID, path, "Member must be a blob (base64 text)", shape, value)
                return
            try:
                size = len(base64.b64decode(value, validate=True))
            except (binascii.Error, ValueError):
                self._add(INVALID, path, "Member must be base64-encoded", shape)
                return
            self._size(shape, size, path, "length")

    def _size(self, shape: Shape, size: float, path: str, what: str, value: Any = None) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self._add(INVALID, path, f"Member must have {what} greater than or equal to {_num(low)}", shape, value)
        if high is not None and size > high:
            self._add(INVALID, path, f"Member must have {what} less than or equal to {_num(high)}", shape, value)


def _num(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _integer(value: Any, strings: bool) -> Optional[int]:
    if strings:
        try:
            return int(value, 10)
        except (TypeError, ValueError):
            return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return None


def _number(value: Any, strings: bool) -> Optional[float]:
    if strings:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _timestamp(value: Any, strings: bool) -> bool:
    if not strings and isinstance(value, (int, float)) and not isinstance(value, bool):
        return True  # epoch seconds, how the JSON protocols send timestamps
    if not isinstance(value, str):
        return False
    try:
        float(value)
        return True
    except ValueError:
        pass
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        pass
    try:  # rest headers: RFC 7231 dates
        from email.utils import parsedate_to_datetime

        parsedate_to_datetime(value)
        return True
    except (TypeError, ValueError):
        return False


def _json_text(value: Any) -> str:
    import json

    try:
        return json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError):
        return repr(value)
