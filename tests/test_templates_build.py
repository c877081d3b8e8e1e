"""Meta-tests of the Word templates: built from the schemas and up to date with the build
script, every template variable a field of its form's schema, and the documents made the
way a panel needs them (A4, headings, table headers, marking, page numbers, properties)."""
from __future__ import annotations

import zipfile

import pytest
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from permanence.forms.load import load_record
from permanence.forms.schema import schema_for
from permanence.templates.build import build_docx, template_path
from permanence.templates.layout import Arr, Leaf, index, template_forms
from permanence.templates.render import form_template, render_record
from templates_support import CASES, W, read_document

FORMS = template_forms()
DOC_KEYS = {"authority", "logo", "draft", "blank"}
EXTRA_ITEM_KEYS = {"at", "present", "section_shown", "excerpt_head", "excerpt_tail"}  # the item's JSON pointer, filled in when rendering; what an audit item or piece of evidence shows (a long excerpt: its shown head and hidden tail)
PICTURES = {("photographs", "*"), ("genogram",)}
# Made when rendering from the audit's items (render.audit_sources): its appendix of sources.
DERIVED = {"cpr-audit": {"sources_common", "sources_appendix"}}


@pytest.mark.parametrize("form", FORMS)
def test_built_template_is_up_to_date(form):
    """Run `python -m permanence.templates.build` after changing a schema or build.py."""
    fresh = build_docx(form)
    assert fresh == build_docx(form), "the build is not deterministic"
    committed = template_path(form).read_bytes()
    import io

    with zipfile.ZipFile(io.BytesIO(fresh)) as new, zipfile.ZipFile(io.BytesIO(committed)) as old:
        assert sorted(new.namelist()) == sorted(old.namelist())
        for name in new.namelist():
            assert new.read(name) == old.read(name), f"{template_path(form).name}: {name} is out of date; rebuild the templates"


def _template_sources(form) -> list[str]:
    tpl = form_template(template_path(form))
    tpl.init_docx()
    sources = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            sources.append(tpl.patch_xml(tpl.get_part_xml(part)))
    return sources


def _path_of(expr, scope):
    if isinstance(expr, nodes.Name):
        return scope.get(expr.name, (expr.name,))
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        base = _path_of(expr.node, scope)
        return base + (expr.arg.value,) if base is not None else None
    if isinstance(expr, nodes.Getattr):
        base = _path_of(expr.node, scope)
        return base + (expr.attr,) if base is not None else None
    return None


def _variables(node, scope, found):
    if isinstance(node, nodes.For):
        iter_path = _path_of(node.iter, scope)
        found.append(iter_path)
        inner = dict(scope)
        inner[node.target.name] = iter_path + ("*",)
        for child in node.body + node.else_:
            _variables(child, inner, found)
        return
    if isinstance(node, (nodes.Getitem, nodes.Getattr, nodes.Name)):
        path = _path_of(node, scope)
        if path is not None:
            found.append(path)
            return
    for child in node.iter_child_nodes():
        _variables(child, scope, found)


@pytest.mark.parametrize("form", FORMS)
def test_every_template_variable_is_in_the_schema(form):
    env = SandboxedEnvironment()
    found = []
    for source in _template_sources(form):
        _variables(env.parse(source), {}, found)
    assert found
    fields = index(form)
    top = set(schema_for(form)["properties"])
    seen_leaves = set()
    for path in found:
        head = path[0]
        if head == "loop":
            continue
        if head == "doc":
            assert len(path) == 2 and path[1] in DOC_KEYS, path
            continue
        if head in DERIVED.get(form, ()):
            continue
        assert head in top, f"'{head}' is not a field of {form}"
        if path[-1] in EXTRA_ITEM_KEYS and path[-2] == "*":
            assert isinstance(fields.get(path[:-2]), Arr), path
            continue
        if path[-1] == "value" and path[-2] == "*":
            assert isinstance(fields.get(path[:-1]), Leaf), path
            seen_leaves.add(path[:-1])
            continue
        if path[-1] == "picture":
            assert form == "cpr" and path[:-1] in PICTURES, path
            continue
        assert path in fields, f"{path} is not a field of {form}"
        if isinstance(fields[path], Leaf):
            seen_leaves.add(path)
    every_leaf = {p for p, n in fields.items() if isinstance(n, Leaf)}
    assert every_leaf - seen_leaves == set(), "fields of the schema missing from the template"


@pytest.mark.parametrize("form", FORMS)
def test_document_is_made_for_a_panel(form, tmp_path):
    out = render_record(load_record(CASES / f"full-{form}.json"), tmp_path / "d.docx")
    root = read_document(out)
    size = root.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(W + "w"), size.get(W + "h")) == ("11906", "16838")  # A4
    styles = [p.get(W + "val") for p in root.iter(W + "pStyle")]
    levels = [int(s[-1]) for s in styles if s.startswith("Heading")]
    assert styles.count("Title") == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"
    for tbl in root.iter(W + "tbl"):
        first = tbl.find(W + "tr")
        caption = tbl.find(f"{W}tblPr/{W}tblCaption")
        assert caption is not None
        if caption.get(W + "val") != "Details":
            assert first.find(f"{W}trPr/{W}tblHeader") is not None  # repeats on every page
    for drawing in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        assert drawing.get("descr")
    assert "dataBinding" not in etree.tostring(root, encoding="unicode")
    with zipfile.ZipFile(out) as z:
        header = z.read("word/header1.xml").decode()
        footer = z.read("word/footer1.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert "OFFICIAL-SENSITIVE" in header and "OFFICIAL-SENSITIVE" in footer
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "Statutory baseline" in header  # the authority, from the profile
    assert f"<cp:category>{form}</cp:category>" in core
    assert "<cp:version>1.0</cp:version>" in core
    assert "{{" not in core and "{%" not in core


@pytest.mark.parametrize("form", FORMS)
def test_no_template_code_is_left_in_a_document(form, tmp_path):
    from permanence.templates.blank import write_blank

    with zipfile.ZipFile(write_blank(form, tmp_path / "b.docx")) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                text = z.read(name).decode("utf-8")
                assert "{%" not in text and "{{" not in text and "%}" not in text, name


def test_draft_is_marked(tmp_path):
    record = load_record(CASES / "full-ppm-record.json")
    out = render_record(record, tmp_path / "d.docx", draft=True, profile="england")
    with zipfile.ZipFile(out) as z:
        header = z.read("word/header1.xml").decode()
        body = z.read("word/document.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert ">DRAFT<" in header and "DRAFT: this record has not passed validation" in body
    assert "<dc:title>DRAFT " in core
    final = render_record(record, tmp_path / "f.docx")
    with zipfile.ZipFile(final) as z:
        assert "DRAFT" not in z.read("word/header1.xml").decode()


def test_authority_logo_from_the_profile(tmp_path):
    from permanence.forms.profiles import Profile, load_profile
    from templates_support import png_bytes

    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(120, 40))
    base = load_profile("england")
    profile = Profile(id="test", data={**base.data, "authority": "Example Borough Council", "logo": str(logo)})
    out = render_record(load_record(CASES / "full-ppm-record.json"), tmp_path / "l.docx", profile=profile)
    with zipfile.ZipFile(out) as z:
        header = z.read("word/header1.xml").decode()
        assert any(n.startswith("word/media/") for n in z.namelist())
    assert "Example Borough Council" in header
    assert 'descr="Logo of Example Borough Council"' in header
