"""`permanence audit report.docx --annotate reviewed.docx`: a copy of the report with each
No or Partial finding as a Word comment on the words it is about, as an adviser returns
a report. Findings that have no place in the text go in one comment at the top.

The evidence's JSON pointer leads to the place the reader found the value (Record.origin:
a paragraph or a table cell); the excerpt is looked for there, then anywhere in the
document. Runs are split where the excerpt starts and ends, so the comment covers the
excerpt itself. The original is never changed: the copy is written to a temporary file
beside the output and moved into place, with OFFICIAL-SENSITIVE in every header.
"""
from __future__ import annotations

import copy
import os
import re
import tempfile
from pathlib import Path

from permanence.findings import UserError
from permanence.forms.readers import docx_blocks
from permanence.templates.safe_docx import W_NS

W = "{%s}" % W_NS
MARKING = "OFFICIAL-SENSITIVE"
MAX_COMMENTS = 300
FLAGGED = ("no", "partial")
ANSWER = {"no": "No", "partial": "Partial"}


def initials_of(name: str) -> str:
    return "".join(w[0].upper() for w in re.findall(r"[A-Za-z][\w'’-]*", name or "")[:3]) or "PA"


def _runs_with_text(p) -> list:
    """The w:r elements of a paragraph that carry its text, in order, with their text."""
    out = []
    for r in p.iter(W + "r"):
        if r.getparent() is not None and r.getparent().tag in (W + "del", W + "moveFrom"):
            continue
        text = "".join(t for t, _ in docx_blocks._runs(r))
        out.append((r, text))
    return out


def _split_run(r, at: int):
    """Split run r at character `at` of its text; return (before, after) elements. Only a run
    whose text is one w:t can be split; otherwise (r, r)."""
    texts = [c for c in r if c.tag == W + "t"]
    others = [c for c in r if c.tag not in (W + "t", W + "rPr")]
    if len(texts) != 1 or others:
        return r, r
    t = texts[0]
    full = t.text or ""
    if at <= 0 or at >= len(full):
        return r, r
    second = copy.deepcopy(r)
    t.text = full[:at]
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t2 = next(c for c in second if c.tag == W + "t")
    t2.text = full[at:]
    t2.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.addnext(second)
    return r, second


def anchor_runs(p, start: int, end: int) -> tuple | None:
    """The first and last run elements covering characters [start, end) of paragraph p,
    splitting runs at both ends; None if no run covers them."""
    pos = 0
    first = last = None
    for r, text in _runs_with_text(p):
        r_start, r_end = pos, pos + len(text)
        pos = r_end
        if not text or r_end <= start or r_start >= end:
            continue
        if first is None:
            if start > r_start:
                _, r = _split_run(r, start - r_start)
                r_start = start
            first = r
        if r_end >= end:
            if end < r_end:
                r, _ = _split_run(r, end - r_start)
            last = r
            break
        last = r
    if first is None:
        return None
    return first, (last if last is not None else first)


def _paragraphs(el) -> list:
    if el is None:
        return []
    return [el] if el.tag == W + "p" else list(el.iter(W + "p"))


def _find(paragraphs, excerpt: str):
    """(paragraph, start, end) of the excerpt in the first paragraph that holds it."""
    wanted = " ".join((excerpt or "").split())
    if not wanted:
        return None
    for p in paragraphs:
        text = "".join(t for t, _ in docx_blocks._runs(p))
        at = text.find(excerpt)
        if at >= 0:
            return p, at, at + len(excerpt)
        flat = " ".join(text.split())
        if wanted in flat:  # the excerpt's spaces differ (a tab or line break in the paragraph)
            at = _loose_find(text, wanted)
            if at:
                return p, *at
    return None


def _loose_find(text: str, wanted: str):
    pattern = r"\s+".join(re.escape(w) for w in wanted.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def _places(record, pointer: str) -> list[str]:
    if pointer.startswith("/unplaced/"):
        try:
            return [record.unplaced[int(pointer.split("/")[2])]["where"]]
        except (ValueError, IndexError, KeyError):
            return []
    for candidate in (pointer, pointer.rsplit("/", 1)[0]):
        if candidate in record.origin:
            return [p for p in record.origin[candidate].split() if docx_blocks.PLACE.match(p)]
    return []


def comment_text(item: dict, ev: dict | None = None) -> str:
    lines = [f"{item['id']} {ANSWER.get(item['answer'], item['answer'])}: {item['question']}"]
    if item.get("comments"):
        lines.append(item["comments"])
    for action in item.get("actions", [])[:3]:
        lines.append("Action: " + action)
    return "\n".join(lines)


def _anchor(body, record, ev: dict):
    """(first run, last run) for one piece of evidence, or None if it has no place in the text."""
    excerpt = (ev.get("excerpt") or "").rstrip(".")
    if excerpt.endswith("..."):
        excerpt = excerpt[:-3]
    if len(excerpt) < 2:
        return None
    targets = [docx_blocks.find_place(body, place) for place in _places(record, ev.get("pointer", ""))]
    paragraphs = [p for el in targets for p in _paragraphs(el)]
    found = _find(paragraphs, excerpt) if paragraphs else None
    if found is None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}", excerpt):  # a date: only where it stood
        found = _find(list(body.iter(W + "p")), excerpt)
    if found is None:
        return None
    return anchor_runs(*found)


def _mark_headers(document) -> None:
    for section in document.sections:
        header = section.header
        if MARKING in "\n".join(p.text for p in header.paragraphs):
            continue
        para = header.paragraphs[0] if header.paragraphs and not header.paragraphs[0].text.strip() else header.add_paragraph()
        run = para.add_run(MARKING)
        run.bold = True


def annotate(source: Path, audit: dict, record, out: Path, *, auditor: str | None, force: bool = False) -> int:
    """Write the annotated copy; the number of comments added."""
    import docx
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    out = Path(out)
    if out.exists() and not force:
        raise UserError(f"{out}: the file already exists. Choose another name, or add --force to replace it.")
    if out.resolve() == Path(source).resolve():
        raise UserError(f"{out}: --annotate would overwrite the report being audited. Choose another name.")
    if out.suffix.lower() != ".docx":
        raise UserError(f"{out}: --annotate writes a Word document; give it a name ending .docx.")
    try:
        document = docx.Document(str(source))
    except Exception:  # noqa: BLE001 - already read safely by the reader; a library refusal is one line
        raise UserError(f"{source}: the report could not be opened to add comments. Save it from Word again and try again.") from None
    author = (auditor or "Permanence audit")[:200]
    initials = initials_of(auditor or "Permanence audit")
    body = document.element.body
    unplaced: list[str] = []
    count = 0
    for item in audit.get("items", []):
        if item.get("answer") not in FLAGGED or item.get("id") == "X1":
            continue
        placed = False
        for ev in item.get("evidence", []):
            if count >= MAX_COMMENTS:
                break
            runs = _anchor(body, record, ev)
            if runs is None:
                continue
            first, last = runs
            para = Paragraph(_paragraph_of(first), document)
            text = comment_text(item, ev) if not placed else f"{item['id']} {ANSWER.get(item['answer'], item['answer'])}: {item['question']} (see the first comment on {item['id']})"
            if ev.get("excerpt"):
                text += f"\nAbout: \"{ev['excerpt'][:200]}\""
            document.add_comment([Run(first, para), Run(last, para)], text=text, author=author, initials=initials)
            count += 1
            placed = True
        if not placed:
            unplaced.append(comment_text(item))
    if unplaced:
        first_para = next((p for p in body.iter(W + "p") if "".join(t for t, _ in docx_blocks._runs(p)).strip()), None)
        if first_para is not None:
            runs = _runs_with_text(first_para)
            para = Paragraph(first_para, document)
            if runs:
                document.add_comment([Run(runs[0][0], para), Run(runs[-1][0], para)],
                                     text="Findings without one place in the report:\n\n" + "\n\n".join(unplaced),
                                     author=author, initials=initials)
                count += 1
    _mark_headers(document)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".annotate-", suffix=".docx")
    os.close(fd)
    try:
        document.save(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{out}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _paragraph_of(el):
    while el is not None and el.tag != W + "p":
        el = el.getparent()
    return el
