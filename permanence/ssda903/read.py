"""Read an SSDA903 extract: CSV files (one a table, recognised by their column headers, in
any order and any file name) or the XML return (EXPSSDA903/CHILD/HEADER, EPISODE...).
Every value becomes a row of one of the return's tables, remembering its file and row,
so a data-quality finding can say where it came from.

Hostile input is refused in one plain line: a file too large for a return, a binary file,
a CSV whose headers match no table, XML that is malformed or uses entities or a DTD
(defusedxml). Text in UTF-8 (with or without a BOM), UTF-16 with a BOM, or Windows-1252.
"""
from __future__ import annotations

import csv
import io
import stat
from dataclasses import dataclass, field
from pathlib import Path

from permanence.findings import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024  # a large authority's whole return is a few MiB
MAX_ROWS = 2_000_000
MAX_FIELD = 10_000  # characters in one value

# The return's tables and their columns (DfE SSDA903 specification; as the open-source
# validator recognises them).
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
            "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}
# The tables people read the names of (in findings and the workbook).
TABLE_WORDS = {
    "Header": "Header", "Episodes": "Episodes", "Reviews": "Reviews", "UASC": "UASC", "OC2": "OC2", "OC3": "OC3",
    "AD1": "AD1 (adopted)", "PlacedAdoption": "Placed for adoption", "PrevPerm": "Previous permanence",
    "Missing": "Missing", "SWEpisodes": "Social worker episodes",
}


@dataclass(slots=True)
class Row:
    table: str
    file: str
    row: str  # "12" (CSV line) or "child 3, EPISODE 2" (XML)
    values: dict

    def get(self, name: str) -> str:
        return self.values.get(name) or ""


@dataclass
class Extract:
    tables: dict[str, list[Row]] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)  # (file, what it held)

    def add(self, row: Row) -> None:
        self.tables.setdefault(row.table, []).append(row)


def read_extract(paths) -> Extract:
    """Every file given (a folder: its .csv and .xml files) into one extract."""
    out = Extract()
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in (".csv", ".xml") and f.is_file()
                           and not f.name.startswith((".", "~$")))
            if not found:
                raise UserError(f"{p}: no .csv or .xml files in this folder. Give the SSDA903 extract's files or their folder.")
            kinds = {f.suffix.lower() for f in found}
            if len(kinds) > 1:
                raise UserError(f"{p}: the folder holds both CSV tables and an XML return; give one or the other "
                                "(name the files), so no child is read twice.")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise UserError(f"{p}: no such file or folder. Give the SSDA903 extract's files (CSV or XML) or their folder.")
    seen_tables: dict[str, str] = {}
    for f in files:
        data = _read_bytes(f)
        if f.suffix.lower() == ".xml" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            _read_xml(f, data, out)
        else:
            table = _read_csv(f, data, out)
            if table in seen_tables:
                raise UserError(f"{f}: holds the {TABLE_WORDS[table]} table, and so does {seen_tables[table]}. "
                                "Give each table once (files from one extract).")
            seen_tables[table] = str(f)
    return out


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"{path}: is not an ordinary file (a pipe or device), so it is not part of an extract.")
    if info.st_size > MAX_FILE_BYTES:
        raise UserError(f"{path}: the file is {info.st_size // (1024 * 1024)} MiB, far larger than an SSDA903 return "
                        f"(at most {MAX_FILE_BYTES // (1024 * 1024)} MiB). Is it the right file?")
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from None


def decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(path, data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, data, "utf-16")
    if b"\x00" in data[:4096]:
        raise UserError(f"{path}: is not a text file (it holds binary data), so it is not an SSDA903 CSV or XML file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # a Windows export; cp1252 leaves five bytes undefined


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise UserError(f"{path}: the text is not valid {encoding.upper()} although the file says it is. "
                        "Export the table again as CSV (UTF-8).") from None
    if "\x00" in text:
        raise UserError(f"{path}: is not a text file (it holds binary data), so it is not an SSDA903 CSV or XML file.")
    return text


def recognise(headers: list[str]) -> str | None:
    """The table whose columns are all in the headers (the largest such table)."""
    have = {h.strip().upper() for h in headers}
    fits = [name for name, cols in TABLES.items() if set(cols) <= have]
    return max(fits, key=lambda n: len(TABLES[n])) if fits else None


def _read_csv(path: Path, data: bytes, out: Extract) -> str:
    text = decode(path, data)
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader, None)
        if not headers:
            raise UserError(f"{path}: is empty. Give the SSDA903 extract's CSV files, each with its header row.")
        table = recognise(headers)
        if table is None:
            shown = ", ".join(h.strip() for h in headers[:8])[:200]
            raise UserError(f"{path}: the column headers ({shown}) are not those of an SSDA903 table "
                            "(Header, Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing, SWEpisodes). "
                            "Export the table again with its header row.")
        names = [h.strip().upper() for h in headers]
        wanted = [(i, n) for i, n in enumerate(names) if n in TABLES[table]]
        count = 0
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise UserError(f"{path}: more than {MAX_ROWS:,} rows, far more than an SSDA903 table holds. Is it the right file?")
            row = {n: values[i].strip() for i, n in wanted if i < len(values) and values[i].strip()}
            out.add(Row(table, path.name, str(reader.line_num if reader.line_num else line_no), row))
    except csv.Error as exc:
        raise UserError(f"{path}: is not a readable CSV file ({exc}, near line {reader.line_num}). "
                        "Export the table again as CSV.") from None
    out.files.append((str(path), table))
    return table


# ---- XML -------------------------------------------------------------------------------

# Elements of HEADER that are one row each of another table.
_HEADER_GROUPS = {"AREVIEW": "Reviews", "AD_PLACED": "PlacedAdoption", "AMISSING": "Missing", "PERMANENCE": "PrevPerm",
                  "OC2": "OC2", "SW_EPISODE": "SWEpisodes", "ASWEPISODE": "SWEpisodes"}
# Values written straight into HEADER that belong to another table.
_HEADER_LOOSE = {"UASC": ("DUC",), "AD1": ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
                 "OC3": ("IN_TOUCH", "ACTIV", "ACCOM")}
_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}


def _read_xml(path: Path, data: bytes, out: Extract) -> None:
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise UserError(f"{path}: the XML uses a DTD or entities, which an SSDA903 return never does; it was not read "
                        "(such files can be used to attack the machine). Export the return again.") from None
    except ParseError as exc:
        raise UserError(f"{path}: is not well-formed XML ({exc}). Export the return again, or give its CSV tables.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: the XML cannot be read ({exc}). Export the return again, or give its CSV tables.") from None
    if root.tag != "EXPSSDA903":
        raise UserError(f"{path}: is XML but not an SSDA903 return (it starts with <{root.tag[:40]}>, not <EXPSSDA903>).")
    name = path.name
    for n, child in enumerate(root.iter("CHILD"), start=1):
        header = child.find("HEADER")
        base = {}
        if header is not None:
            for el in header:
                if len(el) == 0 and el.tag not in _HEADER_GROUPS:
                    base[_RENAME.get(el.tag, el.tag)] = (el.text or "").strip()[:MAX_FIELD]
        child_id = base.get("CHILD", "")
        if not child_id:
            episode_ids = [(e.findtext("CHILDID") or "").strip() for e in child.findall("EPISODE")]
            child_id = next((i for i in episode_ids if i), "")
        dob = base.get("DOB", "")
        where = f"child {n}"
        if header is not None:
            out.add(Row("Header", name, where, {k: v for k, v in base.items() if k in TABLES["Header"] and v}))
            for table, cols in _HEADER_LOOSE.items():
                vals = {c: base[c] for c in cols if base.get(c)}
                if vals:
                    vals.update({"CHILD": child_id, "DOB": dob})
                    if table == "UASC":
                        vals["SEX"] = base.get("SEX", "")
                    out.add(Row(table, name, where, {k: v for k, v in vals.items() if v}))
            counts: dict[str, int] = {}
            for el in header:
                table = _HEADER_GROUPS.get(el.tag)
                if table is None or len(el) == 0:
                    continue
                counts[el.tag] = counts.get(el.tag, 0) + 1
                vals = {_RENAME.get(s.tag, s.tag): (s.text or "").strip()[:MAX_FIELD] for s in el}
                vals.update({"CHILD": child_id, "DOB": dob})
                out.add(Row(table, name, f"{where}, {el.tag} {counts[el.tag]}", {k: v for k, v in vals.items() if v}))
        for k, ep in enumerate(child.findall("EPISODE"), start=1):
            vals = {_RENAME.get(s.tag, s.tag): (s.text or "").strip()[:MAX_FIELD] for s in ep}
            vals["CHILD"] = child_id
            out.add(Row("Episodes", name, f"{where}, EPISODE {k}", {k2: v for k2, v in vals.items() if v}))
    out.files.append((str(path), "XML return"))
