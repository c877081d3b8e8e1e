"""The `render`, `blank` and `extract` commands (cli.py parses the options, this runs them)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from permanence.findings import EXIT_CLEAN, EXIT_COULD_NOT_RUN, EXIT_FINDINGS, Severity, UserError
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


def run_render(paths: list[str], out: str | None, *, draft: bool, force: bool, profile: str, as_of: dt.date, verbose: int = 0) -> int:
    from permanence.forms.validate import make_context, validate_record
    from permanence.templates.render import cannot_write, render_record

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
    ctx = make_context(profile, as_of)
    messages: list[tuple[bool, str]] = []  # (to stderr, line)
    codes = [EXIT_CLEAN]
    written = skipped = existing = 0

    def one(record_path: Path, target: Path | None) -> None:
        nonlocal written, skipped, existing
        try:
            record = load_record(record_path)
            if not FORMS[record.form].template_file:
                if batch:
                    skipped += 1
                    return
                raise UserError(f"{record_path}: a '{record.form}' record has no Word form; render the forms ({', '.join(sorted(f for f, e in FORMS.items() if e.template_file))}).")
            errors = [f for f in validate_record(record, ctx) if f.severity is Severity.ERROR]
            if errors and not draft:
                lines = [f"{record_path}: not rendered: {len(errors)} error{'s' if len(errors) != 1 else ''} (fix them, or use --draft to render a marked draft):"]
                lines += [f"  {f.label}: {f.message}" for f in errors]
                messages.extend((True, line) for line in lines)
                codes.append(EXIT_FINDINGS)
                return
            output = _output_for(record_path, target)
            if batch and not force and output.exists() and not output.is_dir():
                existing += 1  # counted in the summary, which says to use --force
                messages.append((True, f"{output}: already exists; not replaced."))
                codes.append(EXIT_COULD_NOT_RUN)
                return
            if target is not None and batch:
                try:
                    output.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UserError(cannot_write(output.parent, exc)) from None
            render_record(record, output, profile=profile, draft=draft, force=force)
            written += 1
            note = f" (DRAFT, {len(errors)} error{'s' if len(errors) != 1 else ''})" if draft and errors else (" (DRAFT)" if draft else "")
            messages.append((False, f"{output}{note}"))
        except UserError as exc:
            messages.append((True, f"{record_path}: {_strip_name(str(exc), record_path)}"))
            codes.append(EXIT_COULD_NOT_RUN)

    if batch and len(pairs) > 1:
        with click.progressbar(pairs, label="Rendering", file=sys.stderr, show_pos=True) as bar:
            for record_path, target in bar:
                one(record_path, target)
    else:
        for record_path, target in pairs:
            one(record_path, target)
    for to_stderr, line in messages:
        click.echo(line, err=to_stderr)
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


def run_extract(path: str, out: str | None, *, force: bool) -> int:
    from permanence.templates.extract import extract_record
    from permanence.templates.render import write_atomically

    source = Path(path)
    if source.suffix.lower() in (".docm", ".dotm"):
        raise UserError(f"{path}: macro-enabled files are not accepted. Save it as a .docx (Word Document) and try again.")
    if not source.exists():
        raise UserError(f"{path}: no such file. Check the path and try again.")
    record = extract_record(source)
    text = json.dumps(record.data, indent=2, ensure_ascii=False) + "\n"
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
