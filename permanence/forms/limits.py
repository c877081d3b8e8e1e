"""The toolkit's own limits on a record's text, checked before any parser sees it, so the
message is always ours whatever a library's version does (PyYAML 6.0.4's libyaml, for
one, stops deep flow nesting itself at about 1,000 levels with wording of its own).

The limits themselves (MAX_DEPTH and friends) are in permanence/forms/load.py and the
README; this module holds the checks that run on raw text."""
from __future__ import annotations

import re

# JSON strings (with escapes) and YAML double-quoted scalars: brackets inside do not nest.
_DOUBLE_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
# In YAML a bracket opens a flow collection only where a node can start: at the start of
# a line (after indentation), after another opening bracket, a comma, or ": ", "- ", "? ".
_NODE_START = set("\n[{,:-?")


def nesting_too_deep(text: str, suffix: str, max_depth: int, max_values: int) -> str | None:
    """'depth' or 'values' if the text's brackets alone exceed a limit, else None.

    Exact for JSON; for YAML it counts only brackets where a flow collection can start
    (an unmatched bracket in prose cannot add up to a false refusal); block nesting is
    bounded from the parser's event stream, which libyaml produces lazily. The walk stops
    after max_values collections, so it is quick on any file."""
    if text.count("[") + text.count("{") <= max_depth:
        return None
    json_like = suffix == ".json"
    stripped = _DOUBLE_QUOTED.sub('""', text)
    depth = counted = 0
    for match in _BRACKET.finditer(stripped):
        ch = match.group()
        if ch in "[{":
            if not json_like:
                before = stripped[max(0, match.start() - 200):match.start()].rstrip(" \t")
                if before and before[-1] not in _NODE_START:
                    continue
            depth += 1
            counted += 1
            if depth > max_depth:
                return "depth"
            if counted > max_values:  # each one is a value: too many, whatever the depth
                return "values"
        elif depth:
            depth -= 1
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def find_surrogate(data, max_values: int) -> tuple[str | None, str]:
    """(JSON pointer, "\\udXXX") of the first key or text holding a lone surrogate; the
    walk is bounded, so it ends on any shape. The code is written as an escape, never raw."""
    stack = [(data, "")]
    seen = 0
    while stack and seen <= max_values:
        item, pointer = stack.pop()
        seen += 1
        if isinstance(item, dict):
            for key, value in reversed(list(item.items())):
                step = str(key).replace("~", "~0").replace("/", "~1")
                found = _SURROGATE.search(str(key))
                if found:
                    return (pointer or "/") + " (a field name)", f"\\u{ord(found.group()):04x}"
                stack.append((value, f"{pointer}/{step}"))
        elif isinstance(item, list):
            stack.extend((value, f"{pointer}/{i}") for i, value in reversed(list(enumerate(item))))
        elif isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                return pointer or "/", f"\\u{ord(found.group()):04x}"
    return None, "a lone surrogate"
