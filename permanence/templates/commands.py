"""The `render`, `blank` and `extract` commands (cli.py parses the options, this runs them)."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import click

from permanence.findings import EXIT_CLEAN, EXIT_COULD_NOT_RUN, EXIT_FINDINGS, Severity, UserError, one_line, printable_json
from permanence.forms.load import iter_record_paths, load_record
from permanence.forms.registry import FORMS


def _strip_name(message: str, path) -> str:
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _targets(paths: list[str], out: str | None) -> tuple[list[tuple[Path, Path | None]], bool]:
    """(record file, output file or None for 'next to the record') pairs, and whether
    this is a batch (a folder or several records)."""
    pairs: list[tuple[Path, Path | None]] = []
    batch = len(paths) > 1 or any(Path(p).is_dir() for p in paths)
    for raw in paths:
        root = Path(raw)
        for record_path in iter_record_paths([raw]):
            if out is None:
                pairs.append((record_path, None))
            elif batch:
                relative = record_path.relative_to(root) if root.is_dir() else Path(record_path.name)
                pairs.append((record_path, Path(out) / relative))
            else:
                target = Path(out)
                pairs.append((record_path, target / record_path.name if target.is_dir() else target))
    return pairs, batch


def _output_for(record_path: Path, target: Path | None) -> Path:
    base = target if target is not None else record_path
    if base.suffix.lower() == ".docx" and target is not None:
        return base
    if record_path.suffix.lower() == ".docx":
        return base.with_name(base.stem + ".rendered.docx")
    return base.with_suffix(".docx")


POOL_FROM = 4  # documents: fewer are quicker rendered here than in a pool of processes


def _render_setup(profile: str, as_of: dt.date, draft: bool, force: bool, batch: bool):
    from permanence.forms.validate import make_context

    return {"ctx": make_context(profile, as_of), "profile": profile, "draft": draft, "force": force, "batch": batch}


def render_one(state: dict, pair: tuple[Path, Path | None]) -> tuple[str | None, list[tuple[bool, str]], int]:
    """Validate and render one record (in a worker with --jobs): what to count ('written',
    'skipped', 'existing' or None), the lines to print (to stderr or not) and the exit code."""
    from permanence.forms.validate import validate_record
    from permanence.templates.render import cannot_write, removed_characters, render_record

    record_path, target = pair
    draft, force, batch = state["draft"], state["force"], state["batch"]
    try:
        record = load_record(record_path)
        if not FORMS[record.form].template_file:
            if batch:
                return "skipped", [], EXIT_CLEAN
            raise UserError(f"{record_path}: a '{record.form}' record has no Word form; render the forms ({', '.join(sorted(f for f, e in FORMS.items() if e.template_file))}).")
        errors = [f for f in validate_record(record, state["ctx"]) if f.severity is Severity.ERROR]
        if errors and not draft:
            lines = [f"{record_path}: not rendered: {len(errors)} error{'s' if len(errors) != 1 else ''} (fix them, or use --draft to render a marked draft):"]
            lines += [f"  {f.label}: {f.message}" for f in errors]
            return None, [(True, line) for line in lines], EXIT_FINDINGS
        output = _output_for(record_path, target)
        if batch and not force and output.exists() and not output.is_dir():
            # counted in the summary, which says to use --force
            return "existing", [(True, f"{output}: already exists; not replaced.")], EXIT_COULD_NOT_RUN
        if target is not None and batch:
            try:
                output.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(cannot_write(output.parent, exc)) from None
        render_record(record, output, profile=state["profile"], draft=draft, force=force)
        note = f" (DRAFT, {len(errors)} error{'s' if len(errors) != 1 else ''})" if draft and errors else (" (DRAFT)" if draft else "")
        lines = [(False, f"{output}{note}")]
        removed = removed_characters(record.data)  # said once per file
        if removed:
            lines.append((True, f"{record_path}: {removed}"))
        return "written", lines, EXIT_CLEAN
    except UserError as exc:
        return None, [(True, f"{record_path}: {_strip_name(str(exc), record_path)}")], EXIT_COULD_NOT_RUN


def run_render(paths: list[str], out: str | None, *, draft: bool, force: bool, profile: str, as_of: dt.date, verbose: int = 0,
               jobs: int | None = None) -> int:
    from permanence.forms.validate import make_context
    from permanence.pool import Failed, run_all
    from permanence.templates.render import cannot_write

    pairs, batch = _targets(paths, out)
    if not pairs:
        raise UserError("no records found (looked for .json, .yaml, .yml and .docx files).")
    if not batch and out and Path(out).suffix.lower() not in (".docx", "") and not Path(out).is_dir():
        raise UserError(f"{out}: the output of one record is a Word document; name it .docx.")
    if batch and out:
        out_dir = Path(out)
        if out_dir.exists() and not out_dir.is_dir():
            raise UserError(f"{out}: several records are rendered into a folder, and this is a file. Give a folder with -o.")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(cannot_write(out_dir, exc)) from None
    make_context(profile, as_of)  # an unknown profile is refused before any work
    outputs = [_output_for(p, t) for p, t in pairs]
    if len(set(outputs)) != len(outputs):
        jobs = 1  # two records render to one file (a.json and a.yaml): the first comes first, as with one job
    results = run_all(render_one, pairs, jobs=jobs, setup=_render_setup, setup_args=(profile, as_of, draft, force, batch),
                      label="Rendering" if batch else None, min_items=POOL_FROM)
    codes = [EXIT_CLEAN]
    counted: Counter = Counter()
    for (record_path, _), result in zip(pairs, results):
        if isinstance(result, Failed):
            result = (None, [(True, f"{record_path}: {result.message()}")], EXIT_COULD_NOT_RUN)
        kind, lines, code = result
        if kind:
            counted[kind] += 1
        for to_stderr, line in lines:
            click.echo(one_line(line), err=to_stderr)
        codes.append(code)
    written, skipped, existing = counted["written"], counted["skipped"], counted["existing"]
    if batch:
        summary = f"{written} document{'s' if written != 1 else ''} written"
        if existing:
            summary += (f"; {existing} not written because {'they' if existing != 1 else 'it'} already exist{'s' if existing == 1 else ''}"
                        f" (use --force to replace {'them' if existing != 1 else 'it'}, or -o to write elsewhere)")
        if skipped:
            summary += f"; {skipped} record{'s' if skipped != 1 else ''} without a Word form skipped"
        click.echo(summary + ".", err=True)
    return max(codes)


def run_blank(form: str, out: str | None, *, force: bool, profile: str) -> int:
    from permanence.templates.blank import write_blank

    path = write_blank(form, out, force=force, profile=profile)
    click.echo(str(path))
    return EXIT_CLEAN


def _unplaced_lines(record) -> list[str]:
    if not getattr(record, "unplaced", None):
        return []
    from permanence.forms.readers.cpr_docx import unplaced_summary

    return unplaced_summary(record.unplaced)


def run_extract(path: str, out: str | None, *, force: bool) -> int:
    from permanence.forms import readers
    from permanence.templates.render import write_atomically

    source = Path(path)
    if source.suffix.lower() in (".docm", ".dotm"):
        raise UserError(f"{path}: macro-enabled files are not accepted. Save it as a .docx (Word Document) and try again.")
    if not source.exists():
        raise UserError(f"{path}: no such file. Check the path and try again.")
    # our forms by their controls, any other CPR by its headings; anything else gets the form reader's refusal
    kind = readers.kind_of(source) if source.suffix.lower() == ".docx" else "form_docx"
    record = readers.read(source, kind=kind)
    for line in _unplaced_lines(record):
        click.echo(f"{path}: {line}", err=True)
    text = printable_json(json.dumps(record.data, indent=2, ensure_ascii=False)) + "\n"
    if out:
        target = Path(out)
        if target.resolve() == source.resolve():
            raise UserError(f"{out}: this is the Word form itself; choose another name for the JSON.")

        def save(tmp):
            Path(tmp).write_text(text, encoding="utf-8")

        write_atomically(target, save, force)
        click.echo(str(target), err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_CLEAN
