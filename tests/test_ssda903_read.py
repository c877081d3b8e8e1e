"""Reading an SSDA903 extract: tables recognised by their column headers whatever the
file is called; BOMs, UTF-16 and Windows-1252 read; hostile or wrong files refused in
one plain line (exit 2), nothing written, never a traceback."""
from __future__ import annotations

import datetime as dt

import pytest

from permanence.findings import UserError
from permanence.ssda903 import codes as C
from permanence.ssda903.convert import convert_all
from permanence.ssda903.read import TABLES, read_extract, recognise

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1,2,01/02/2015,WBRI,,,\n"
EPISODES = ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
            "K1,01/03/2026,S,C2,N1,U6,PR1,,,,,,\n")


def test_each_table_is_recognised_by_its_headers_in_any_order():
    for table, columns in TABLES.items():
        assert recognise(list(reversed(columns)) + ["EXTRA"]) == table
    assert recognise(["CHILD", "DOB"]) is None


def test_file_names_do_not_matter_and_bom_utf16_cp1252_are_read(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"\xef\xbb\xbf" + HEADER.encode())
    (tmp_path / "b.csv").write_bytes(EPISODES.encode("utf-16"))
    (tmp_path / "c.csv").write_bytes("CHILD,DOB,REVIEW,REVIEW_CODE\nK1,01/02/2015,20/03/2026,PN1\nK1,01/02/2015,21/03/2026,Caf\xe9\n"
                                     .encode("cp1252"))
    extract = read_extract([tmp_path])
    assert {t: len(r) for t, r in extract.tables.items()} == {"Header": 1, "Episodes": 1, "Reviews": 2}
    child, = convert_all(extract, dt.date(2026, 11, 23))
    assert child.record["child"]["legal_status"] == "care_order"
    assert any("Caf" in f.value and "not a code" in f.message for f in child.findings)


@pytest.mark.parametrize("name,content,words", [
    ("binary.csv", b"\x00\x01\x02PK\x03\x04" * 100, "binary"),
    ("other.csv", b"name,age\nAnn,3\n", "not those of an SSDA903 table"),
    ("empty.csv", b"", "is empty"),
    ("bad.xml", b"<EXPSSDA903><CHILD>", "not well-formed XML"),
    ("bomb.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><EXPSSDA903>&b;</EXPSSDA903>',
     "DTD or entities"),
    ("other.xml", b"<html><body/></html>", "not an SSDA903 return"),
    ("badutf8.csv", b"\xef\xbb\xbfCHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\xff\xfe\xfa,1,01/01/2020,,,,\n", "not valid UTF-8"),
])
def test_hostile_or_wrong_files_get_one_plain_line(tmp_path, cli, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=words):
        read_extract([path])
    result = cli(["import", "ssda903", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import permanence.ssda903.read as R
    monkeypatch.setattr(R, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "episodes.csv"
    path.write_text(EPISODES + "K1,01/03/2026,P,C2,N1,U6,PR1,,,,,,\n" * 100, "utf-8")
    with pytest.raises(UserError, match="far larger than an SSDA903 return"):
        read_extract([path])


def test_a_folder_with_both_shapes_or_a_table_twice_is_refused(tmp_path):
    (tmp_path / "header.csv").write_text(HEADER, "utf-8")
    (tmp_path / "return.xml").write_text("<EXPSSDA903/>", "utf-8")
    with pytest.raises(UserError, match="both CSV tables and an XML return"):
        read_extract([tmp_path])
    (tmp_path / "return.xml").unlink()
    (tmp_path / "header2.csv").write_text(HEADER, "utf-8")
    with pytest.raises(UserError, match="and so does"):
        read_extract([tmp_path])


def test_bad_dates_are_findings_and_the_rest_of_the_child_is_used(tmp_path):
    (tmp_path / "header.csv").write_text(HEADER, "utf-8")
    (tmp_path / "episodes.csv").write_text(
        EPISODES.replace(",,,,,,\n", ",31/02/2026,E4A,,,,\n", 1)
        + "K1,2026-05-01,P,C2,N1,U4,PR1,,,,,,\nK1,01/06/2026,P,C2,N1,U4,PR1,01/05/2026,X1,,,,\n", "utf-8")
    (tmp_path / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nK1,01/02/2015,01/01/2014,PN1\nK1,01/02/2015,01/01/2099,PN1\n"
                                          "K1,01/02/2015,20/03/2026,PN9\n", "utf-8")
    (tmp_path / "placed.csv").write_text("CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n", "utf-8")
    (tmp_path / "orphan.csv").write_text("CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\nK9,01/01/2010,SW1,01/01/2020,,\n", "utf-8")
    children = {c.id: c for c in convert_all(read_extract([tmp_path]), dt.date(2026, 11, 23))}
    k1 = children["K1"]
    text = [f.message for f in k1.findings]
    assert any("is not a real date (no such day)" in t for t in text)
    assert any("not a date written DD/MM/YYYY" in t for t in text)
    assert any("ends (01/05/2026) before it starts (01/06/2026)" in t for t in text)
    assert any("before the child's date of birth" in t for t in text)
    assert any("is in the future" in t for t in text)
    assert any("'PN9' is not a code of the 2024-25 return" in t for t in text)
    events = [e["type"] for e in k1.record["events"]]
    assert events.count("cla_review") == 1 and "became_looked_after" in events  # the good rows are used
    assert children["K9"].record is None and "neither the Header nor the Episodes" in children["K9"].findings[0].message
    assert all(f.file and f.row for f in k1.findings)


def test_a_child_with_episodes_but_no_header_is_a_finding(tmp_path):
    (tmp_path / "episodes.csv").write_text(EPISODES, "utf-8")
    (tmp_path / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nK1,01/02/2015,20/03/2026,PN1\n", "utf-8")
    child, = convert_all(read_extract([tmp_path]), dt.date(2026, 11, 23))
    assert "episodes but no Header row" in child.findings[0].message
    assert child.record["child"]["date_of_birth"] == "2015-02-01"  # from the Reviews table


def test_every_code_list_names_its_year_source_and_labels():
    for name in C.LISTS:
        lst = C.code_list(name)
        assert lst["collection_year"] == "2024-25" and lst["source"].startswith("Department for Education")
        assert lst["codes"] and all(v["label"] and v["label"][0].isupper() for v in lst["codes"].values())
    assert C.words("legal_status", "C2") == "Full care order (C2)"
    assert "not a code" in C.label("placement", "Q9")
