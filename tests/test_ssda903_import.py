"""`permanence import ssda903`: the shared fake extract (../shared/ssda903-sample, from the
open-source SSDA903 validator) read as CSV and as XML gives the same case records; every
problem in it is a plain finding, never an internal error; re-importing keeps what people
wrote and changes nothing that has not changed."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from permanence.forms.load import Record
from permanence.forms.validate import schema_findings
from permanence.ssda903.convert import convert_all
from permanence.ssda903.read import TABLES, read_extract

SAMPLE = next((p for p in (Path(__file__).resolve().parents[2] / "shared" / "ssda903-sample",
                            Path("/work/shared/ssda903-sample")) if p.exists()), Path("/work/shared/ssda903-sample"))
AS_OF = "2026-12-04"
CSV_FILES = sorted(SAMPLE.glob("*.csv"))

pytestmark = pytest.mark.skipif(not CSV_FILES, reason="the shared SSDA903 sample is not on this machine")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _table_of(path: Path) -> str:
    headers = set(_rows(path)[0]) if _rows(path) else set(next(csv.reader(open(path, encoding="utf-8-sig"))))
    return max((t for t, cols in TABLES.items() if set(cols) <= headers), key=lambda t: len(TABLES[t]))


def write_xml_from_csvs(folder: Path, out: Path) -> None:
    """The CSV tables written as the XML return is shaped (fake_903.xml): written here with
    the standard library, independently of the reader under test."""
    by_table = {_table_of(p): _rows(p) for p in folder.glob("*.csv")}
    children: dict[str, dict] = {}
    for table, rows in by_table.items():
        for r in rows:
            children.setdefault(r["CHILD"], {}).setdefault(table, []).append(r)
    root = ET.Element("EXPSSDA903")
    for cid, tables in children.items():
        child = ET.SubElement(root, "CHILD")
        header = ET.SubElement(child, "HEADER")
        h = (tables.get("Header") or [{}])[0]
        ET.SubElement(header, "CHILDID").text = cid

        def put(parent, name, value):
            ET.SubElement(parent, name).text = value or None

        for name in ("UPN", "SEX", "DOB", "ETHNIC"):
            put(header, name, h.get(name))
        for r in tables.get("UASC", [])[:1]:
            put(header, "UASC", "1")
            put(header, "DUC", r.get("DUC"))
        for r in tables.get("Reviews", []):
            el = ET.SubElement(header, "AREVIEW")
            put(el, "REVIEW", r["REVIEW"])
            put(el, "REVIEW_CODE", r["REVIEW_CODE"])
        for name in ("MOTHER", "MC_DOB"):
            put(header, name, h.get(name))
        for r in tables.get("PrevPerm", [])[:1]:
            el = ET.SubElement(header, "PERMANENCE")
            for name in ("PREV_PERM", "LA_PERM", "DATE_PERM"):
                put(el, name, r.get(name))
        for r in tables.get("AD1", [])[:1]:
            for name in ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"):
                put(header, name, r.get(name))
        for r in tables.get("PlacedAdoption", []):
            el = ET.SubElement(header, "AD_PLACED")
            for name in ("DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"):
                put(el, name, r.get(name))
        for r in tables.get("Missing", []):
            el = ET.SubElement(header, "AMISSING")
            for name in ("MISSING", "MIS_START", "MIS_END"):
                put(el, name, r.get(name))
        for r in tables.get("OC3", [])[:1]:
            for name in ("IN_TOUCH", "ACTIV", "ACCOM"):
                put(header, name, r.get(name))
        for r in tables.get("Episodes", []):
            el = ET.SubElement(child, "EPISODE")
            for name in TABLES["Episodes"][1:]:
                put(el, "PL" if name == "PLACE" else name, r.get(name))
    ET.ElementTree(root).write(out, encoding="us-ascii", xml_declaration=True)


def write_csvs_from_xml(xml: Path, folder: Path) -> None:
    """The XML return written out as the CSV tables (again independently of the reader)."""
    root = ET.parse(xml).getroot()
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for child in root.iter("CHILD"):
        h = child.find("HEADER")
        val = {e.tag: (e.text or "") for e in h if len(e) == 0}
        cid, dob = val.get("CHILDID", ""), val.get("DOB", "")
        out["Header"].append({"CHILD": cid, **{k: val.get(k, "") for k in TABLES["Header"][1:]}})
        if val.get("DUC"):
            out["UASC"].append({"CHILD": cid, "SEX": val.get("SEX", ""), "DOB": dob, "DUC": val["DUC"]})
        if val.get("DATE_INT") or val.get("DATE_MATCH"):
            out["AD1"].append({"CHILD": cid, "DOB": dob, **{k: val.get(k, "") for k in TABLES["AD1"][2:]}})
        if any(val.get(k) for k in ("IN_TOUCH", "ACTIV", "ACCOM")):
            out["OC3"].append({"CHILD": cid, "DOB": dob, **{k: val.get(k, "") for k in TABLES["OC3"][2:]}})
        for tag, table in (("AREVIEW", "Reviews"), ("AD_PLACED", "PlacedAdoption"), ("AMISSING", "Missing"),
                           ("PERMANENCE", "PrevPerm"), ("OC2", "OC2")):
            for el in h.findall(tag):
                sub = {e.tag: (e.text or "") for e in el}
                out[table].append({"CHILD": cid, "DOB": dob, **{k: sub.get(k, "") for k in TABLES[table][2:]}})
        for ep in child.findall("EPISODE"):
            sub = {("PLACE" if e.tag == "PL" else e.tag): (e.text or "") for e in ep}
            out["Episodes"].append({"CHILD": cid, **{k: sub.get(k, "") for k in TABLES["Episodes"][1:]}})
    for table, rows in out.items():
        if rows:
            with open(folder / f"{table.lower()}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=TABLES[table])
                w.writeheader()
                w.writerows(rows)


def _records(folder: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text("utf-8")) for p in folder.glob("*/case.json")}


def _import(cli, paths, out: Path, *more):
    return cli(["import", "ssda903", *map(str, paths), "-o", str(out), "--as-of", AS_OF, *more])


def test_the_sample_as_csv_and_as_xml_gives_the_same_case_records(tmp_path, cli):
    # CSV tables -> XML written here -> the same records.
    as_xml = tmp_path / "from-csv.xml"
    write_xml_from_csvs(SAMPLE, as_xml)
    a, b = tmp_path / "a", tmp_path / "b"
    r1 = _import(cli, CSV_FILES, a)
    r2 = _import(cli, [as_xml], b)
    assert r1.exit_code == 1 and r2.exit_code == 1, (r1.output[-500:], r2.output[-500:])  # the sample has findings
    ra, rb = _records(a), _records(b)
    assert len(ra) == len(_rows(SAMPLE / "header.csv")) and ra == rb
    # The XML return -> CSV tables written here -> the same records.
    csvs = tmp_path / "csvs"
    csvs.mkdir()
    write_csvs_from_xml(SAMPLE / "fake_903.xml", csvs)
    c, d = tmp_path / "c", tmp_path / "d"
    assert _import(cli, [SAMPLE / "fake_903.xml"], c).exit_code == 1
    assert _import(cli, [csvs], d).exit_code == 1
    rc, rd = _records(c), _records(d)
    assert len(rc) == 253 and rc == rd


def test_every_problem_in_the_sample_is_a_plain_finding(tmp_path, cli):
    report = tmp_path / "dq.xlsx"
    result = _import(cli, CSV_FILES, tmp_path / "caseload", "--report", str(report))
    assert result.exit_code == 1
    assert "internal error" not in result.output and "Traceback" not in result.output
    children = convert_all(read_extract(CSV_FILES), dt.date.fromisoformat(AS_OF))
    findings = [f for c in children for f in c.findings]
    messages = " ".join(f.message for f in findings)
    # The kinds of problem the sample holds (its codes are random, some dates implausible).
    for words in ("overlaps", "is in the future", "is not a code of the 2024-25 return", "falls outside every period of care"):
        assert words in messages, words
    assert all(f.table and f.file and f.row and f.child for f in findings)
    # Every record written is valid, and every finding is a row of the workbook.
    from openpyxl import load_workbook
    ws = load_workbook(report, read_only=True)["Data quality"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Child ID", "Table", "File", "Row") and len(rows) == len(findings) + 1
    assert all(r[6][0].isupper() for r in rows[1:])  # each finding a sentence
    for path in (tmp_path / "caseload").glob("*/case.json"):
        assert schema_findings(Record("case", json.loads(path.read_text("utf-8")), str(path))) == []


def test_reimport_keeps_what_people_wrote_and_reports_each_change(tmp_path, cli):
    folder = tmp_path / "extract"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xml"))
    caseload = tmp_path / "caseload"
    assert _import(cli, [folder], caseload).exit_code == 1
    path = caseload / "566910" / "case.json"
    record = json.loads(path.read_text("utf-8"))
    record["child"]["name"] = "Robin Example"
    record.update(team="Permanence Team", social_worker="Amira Khan", primary_plan="long_term_fostering",
                  contingency_plans=["special_guardianship"], actions=[{"decision": "Visit the carers"}])
    record["events"].append({"type": "ppm", "date": "2018-01-10", "notes": "typed by the social worker"})
    review = next(e for e in record["events"] if e["type"] == "cla_review")
    review["notes"] = "IRO: plan endorsed"
    path.write_text(json.dumps(record, indent=2), "utf-8")
    # Nothing changed in the return: nothing is rewritten.
    again = _import(cli, [folder], caseload)
    assert "0 new, 0 updated" in again.output
    # The return changes: the child's legal status changes in the last episode.
    episodes = (folder / "episodes.csv").read_text("utf-8").splitlines()
    i = max(n for n, line in enumerate(episodes) if line.startswith("566910,"))
    parts = episodes[i].split(",")
    parts[3] = "E1"
    episodes[i] = ",".join(parts)
    (folder / "episodes.csv").write_text("\n".join(episodes) + "\n", "utf-8")
    changed = _import(cli, [folder], caseload)
    line = next(x for x in changed.output.splitlines() if x.startswith("566910:"))
    assert "Legal status: Care order → Placement order" in line and "event" in line
    after = json.loads(path.read_text("utf-8"))
    assert after["child"]["name"] == "Robin Example" and after["primary_plan"] == "long_term_fostering"
    assert after["actions"] == [{"decision": "Visit the carers"}]
    assert any(e.get("notes") == "typed by the social worker" for e in after["events"])
    assert any(e.get("notes") == "IRO: plan endorsed" and e["type"] == "cla_review" for e in after["events"])
    assert any(e["type"] == "placement_order" for e in after["events"])
    assert "1 updated" in changed.output


def test_the_input_is_never_changed_and_no_temporary_file_is_left(tmp_path, cli):
    folder = tmp_path / "extract"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xml"))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    caseload = tmp_path / "caseload"
    _import(cli, [folder], caseload)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not [p for p in caseload.rglob(".*")]
