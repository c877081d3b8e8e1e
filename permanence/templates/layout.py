"""The shape of each form's Word document, worked out from its schema.

One tree of nodes per form, used three ways: `build` writes the docxtpl template from
it, `render` prepares a record's values to fit it, and `extract` reads a filled form
back with it. Nothing here is written by hand per field: a new schema property reaches
the form the next time `python -m permanence.templates.build` runs.

Kinds of leaf field (from the resolved schema):
  const  - the form's name (shown, locked)
  bool   - Yes / No drop-down
  enum   - drop-down of the schema's x-enum-labels
  date   - date picker, shown as "14 March 2026"
  int    - whole number
  short  - a line or two of text (maxLength <= 500)
  text   - free text, kept as paragraphs
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from permanence.forms import schema as schemas
from permanence.forms.registry import FORMS

LONG_TEXT = 500  # a string schema allowing more than this many characters is free text

# arrays rendered as a table need scalar items; a table with long text is kept narrow
TABLE_MAX_COLUMNS = 6
TABLE_MAX_COLUMNS_SHORT = 9


def template_forms() -> list[str]:
    """The forms that have a Word template."""
    return [name for name, f in FORMS.items() if f.template_file]


@dataclass
class Leaf:
    key: str
    path: tuple  # schema path: property names, "*" for an array item
    kind: str
    title: str
    description: str
    schema: dict

    @property
    def pattern(self) -> str:
        return pattern_pointer(self.path)


@dataclass
class Obj:
    key: str
    path: tuple
    title: str
    description: str
    children: list = field(default_factory=list)
    required: tuple = ()


@dataclass
class Arr:
    key: str
    path: tuple
    title: str
    description: str
    item: object  # Obj or Leaf (path ends with "*")
    style: str  # "table", "sections" or "list"
    item_title: str = "Item"


def pattern_pointer(path) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def leaf_kind(node: dict) -> str:
    if "const" in node:
        return "const"
    kind = node.get("type")
    if kind == "boolean":
        return "bool"
    if kind == "integer":
        return "int"
    if kind == "number":
        return "number"
    if "enum" in node:
        return "enum"
    if node.get("format") == "date":
        return "date"
    if node.get("maxLength", 0) > LONG_TEXT:
        return "text"
    return "short"


def _is_container(node: dict) -> bool:
    return node.get("type") in ("object", "array") or "properties" in node or "items" in node


def _build(key: str, node: dict, base: str, path: tuple):
    node, base = schemas.resolve(node, base)
    title = node.get("title", key.replace("_", " ").capitalize())
    description = node.get("description", "")
    if node.get("type") == "array" or "items" in node:
        item_node, item_base = schemas.resolve(node.get("items", {}), base)
        item = _build(key, item_node, item_base, path + ("*",))
        if isinstance(item, Leaf):
            style = "list"
        else:
            scalars = all(isinstance(c, Leaf) for c in item.children)
            has_text = any(isinstance(c, Leaf) and c.kind == "text" for c in item.children)
            limit = TABLE_MAX_COLUMNS if has_text else TABLE_MAX_COLUMNS_SHORT
            style = "table" if scalars and len(item.children) <= limit else "sections"
            if node.get("x-layout") == "sections":  # the schema asks for one entry after another (photographs)
                style = "sections"
        return Arr(key, path, title, description, item, style, item_node.get("title", "Item"))
    if node.get("type") == "object" or "properties" in node:
        obj = Obj(key, path, title, description, required=tuple(node.get("required", ())))
        for child_key, child in node.get("properties", {}).items():
            obj.children.append(_build(child_key, child, base, path + (child_key,)))
        return obj
    return Leaf(key, path, leaf_kind(node), title, description, node)


# Layouts chosen for a purpose, not by the general rule above:
#  - photographs are shown one by one with the picture above its details (the schema's
#    x-layout "sections", which the labels of findings read too: "Photographs, item 2");
#  - the audit checklist is the audit form's three-column table (seed 003 App. 8);
#  - the evidence of an audit item is a line of text inside that table's cell.
SPECIAL_STYLES = {
    ("cpr-audit", ("items",)): "audit",
    ("cpr-audit", ("items", "*", "evidence")): "inline",
}


@lru_cache(maxsize=None)
def form_layout(form: str) -> Obj:
    """The node tree of a form (the root is an Obj with path ())."""
    schema = schemas.schema_for(form)
    root = _build("", schema, schema["$id"], ())
    root.title = FORMS[form].title
    for node in walk(root):
        if isinstance(node, Arr) and (form, node.path) in SPECIAL_STYLES:
            node.style = SPECIAL_STYLES[(form, node.path)]
    return root


def walk(node):
    """Every node of a tree, parents first."""
    yield node
    if isinstance(node, Obj):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Arr):
        yield from walk(node.item)


@lru_cache(maxsize=None)
def index(form: str) -> dict:
    """Schema path (tuple with "*" for items) -> node."""
    return {n.path: n for n in walk(form_layout(form))}


def is_block(form: str, leaf: Leaf) -> bool:
    """Free text is a control of whole paragraphs; every other field is a control
    inside a line (a drop-down, a date, a name), whose line breaks stay breaks."""
    if leaf.kind != "text":
        return False
    for node in walk(form_layout(form)):
        if isinstance(node, Arr) and node.style == "inline" and leaf.path[: len(node.path)] == node.path:
            return False
    return True


@lru_cache(maxsize=None)
def block_paths(form: str) -> frozenset:
    return frozenset(n.path for n in walk(form_layout(form)) if isinstance(n, Leaf) and is_block(form, n))
