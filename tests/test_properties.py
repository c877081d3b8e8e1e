"""Property-based tests (hypothesis, hypothesis-jsonschema): records of every form, valid
and mutated, through validate, audit, render, extract and tracker. Whatever the record:
no internal error and no traceback, the exit codes the README documents, the input file
unchanged, nothing half-written left behind; and a valid record rendered then extracted
is the record again.

The example budget is small and fixed (derandomized, no example database) so the suite
stays quick and the same on every machine; bench/fuzz.py runs the same properties for
longer with fresh randomness (PERMANENCE_FUZZ_EXAMPLES)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from properties_support import mutated_records, seeds, valid_records

EXAMPLES = int(os.environ.get("PERMANENCE_FUZZ_EXAMPLES", "0")) or None
FAST = settings(max_examples=EXAMPLES or 40, deadline=None, database=None, derandomize=EXAMPLES is None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=EXAMPLES or 15)
WORD_FORMS = ["ppm-record", "panel-referral", "gateway-referral", "cpr", "cpr-audit"]
AS_OF = "2026-11-23"


def _cli(args):
    from permanence.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _write(folder: Path, data, name="record.json") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=True), "utf-8")  # a lone surrogate as JSON writes it
    return path


def _no_internal_error(result):
    text = result.output
    assert "internal error" not in text and "Traceback" not in text, text[-2000:]
    for line in result.stderr.splitlines():
        assert line.startswith(("permanence: ", "Rendering")) or not line.strip() or ": " in line, line


def _only(folder: Path, *names: str):
    """Nothing but these in the folder: no temporary, no half-written output."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


@FAST
@given(record=st.one_of(valid_records(), mutated_records()))
def test_validate_any_record(record):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), record)
        before = path.read_bytes()
        for fmt in ("text", "json"):
            result = _cli(["validate", "--format", fmt, "--as-of", AS_OF, path])
            _no_internal_error(result)
            assert result.exit_code in (0, 1, 2)
            if fmt == "json":
                report = json.loads(result.stdout)
                assert report["summary"]["files"] == 1
                assert (result.exit_code == 2) == (report["files"][0]["error"] is not None)
        assert path.read_bytes() == before
        _only(Path(tmp), "record.json")


@SLOW
@given(record=valid_records(WORD_FORMS))
def test_render_then_extract_gives_the_record_back(record):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _write(folder, record)
        before = path.read_bytes()
        out = folder / "out.docx"
        result = _cli(["render", "--draft", "--as-of", AS_OF, path, "-o", out])
        _no_internal_error(result)
        assert result.exit_code == 0, result.output
        extracted = _cli(["extract", out])
        assert extracted.exit_code == 0, extracted.output
        assert json.loads(extracted.stdout) == json.loads(before)
        assert path.read_bytes() == before
        _only(folder, "record.json", "out.docx")


@SLOW
@given(record=mutated_records(WORD_FORMS))
def test_render_any_record_writes_whole_or_nothing(record):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _write(folder, record)
        before = path.read_bytes()
        out = folder / "out.docx"
        result = _cli(["render", "--draft", "--as-of", AS_OF, path, "-o", out])
        _no_internal_error(result)
        assert result.exit_code in (0, 2)
        if result.exit_code == 0:
            assert _cli(["extract", out]).exit_code == 0  # whatever render writes, read accepts
            _only(folder, "record.json", "out.docx")
        else:
            _only(folder, "record.json")
        assert path.read_bytes() == before


@SLOW
@given(record=st.one_of(valid_records(["cpr"]), mutated_records(["cpr"])))
def test_audit_any_cpr(record):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), record, "cpr.json")
        before = path.read_bytes()
        result = _cli(["audit", "--engine", "none", "--format", "json", "--as-of", AS_OF, path])
        _no_internal_error(result)
        assert result.exit_code in (0, 1, 2)
        assert "could not be checked automatically (internal error" not in result.output
        assert path.read_bytes() == before


@SLOW
@given(cases=st.lists(st.one_of(valid_records(["case"]), mutated_records(["case"])), min_size=1, max_size=3))
def test_tracker_any_caseload_builds_and_rebuilds(cases):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, case in enumerate(cases):
            _write(folder / "caseload" / f"c{i}", case, "case.json")
        out = folder / "out" / "tracker.xlsx"
        out.parent.mkdir()
        for _ in range(2):  # a build, then a rebuild reading it back
            result = _cli(["tracker", "--as-of", AS_OF, folder / "caseload", "-o", out])
            _no_internal_error(result)
            assert result.exit_code in (0, 1, 2)
        listed = sorted(p.name for p in out.parent.iterdir())
        assert not [n for n in listed if n.startswith(".")], listed  # no temporary, no lock left
        as_json = _cli(["tracker", "--as-of", AS_OF, "--format", "json", folder / "caseload"])
        _no_internal_error(as_json)
        if as_json.exit_code in (0, 1):
            assert isinstance(json.loads(as_json.stdout)["children"], list)


def test_every_form_has_seed_records():
    """The strategies draw from the examples: every form must have one."""
    assert set(WORD_FORMS) | {"case"} <= set(seeds())
