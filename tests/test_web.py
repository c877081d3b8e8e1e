"""`permanence serve` in-process (Starlette's TestClient): headers, limits, CSRF, sign-in,
error pages, downloads, and that nothing is kept on disk or written to the logs."""
from __future__ import annotations

import io
from html import unescape
import json
import logging
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from permanence.web.app import Settings, create_app

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "examples" / "caseload"
PPM = CASELOAD / "C1001-ava-thompson" / "ppm-2026-11-11.json"
BAD_PPM = ROOT / "examples" / "invalid" / "ppm-missing-contingency-plan.json"
CPR = CASELOAD / "C1001-ava-thompson" / "cpr.json"
OPTIONS = {"profile": "warrington", "as_of_day": "23", "as_of_month": "11", "as_of_year": "2026"}
PAGES = ["/", "/privacy", "/check", "/audit", "/tracker", "/forms"]


@pytest.fixture
def client():
    with TestClient(create_app(Settings(wait_seconds=120)), follow_redirects=True) as c:
        yield c


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Every temporary file of the process goes here, so a test can see what is left."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def csrf(client, page="/check") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(page).text).group(1)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def downloads(html: str) -> list[str]:
    return re.findall(r'href="(/jobs/[^"]+/files/[^"]+)"', html)


def caseload_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(CASELOAD.rglob("*")):
            if p.is_file():
                z.write(p, "caseload/" + p.relative_to(CASELOAD).as_posix())
    return buffer.getvalue()


def check(client, *files, **fields):
    data = {"csrf": csrf(client), **OPTIONS, **fields}
    return client.post("/check", data=data, files=[("files", (name, content, "application/octet-stream")) for name, content in files])


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_security_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert 'lang="en-GB"' in r.text
    # Nothing is asked of another host: every src and href is on this server.
    for url in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        assert url.startswith(("/", "#")), url


def test_static_assets_are_served_with_headers_and_no_font_file(client):
    css = client.get("/assets/govuk/govuk-frontend.min.css")
    assert css.status_code == 200 and css.headers["x-content-type-options"] == "nosniff"
    assert "GDS Transport" not in css.text and "arial" in css.text
    assert client.get("/assets/app.js").status_code == 200
    assert client.get("/assets/images/govuk-crest.svg").status_code == 200  # the one url() the CSS names
    assert client.get("/assets/../pyproject.toml").status_code == 404


def test_check_shows_findings_by_section_and_the_downloads_open(client):
    r = check(client, ("ppm.json", PPM.read_bytes()), ("contingency.json", BAD_PPM.read_bytes()))
    assert r.status_code == 200
    page = text_of(r.text)
    assert "2 files checked: 1 passed, 1 with errors" in page
    assert "There is a problem" in page and 'href="#file-1-finding-0"' in r.text
    assert "Contingency plans" in page and "Add at least one contingency plan" in page
    assert "Warrington, Securing Permanence" in page  # the source by its title, not "seed 003"
    assert "/contingency_plans" not in page and "seed 0" not in page  # no JSON pointers or our shorthand
    report_url, xlsx_url = downloads(r.text)
    report = client.get(report_url)
    assert report.headers["content-disposition"] == 'attachment; filename="permanence-report-2026-11-23.json"'
    data = json.loads(report.content)
    assert data["summary"]["files"] == 2 and data["summary"]["errors"] == 1
    assert [f["path"] for f in data["files"]] == ["ppm.json", "contingency.json"]
    from openpyxl import load_workbook

    xlsx = client.get(xlsx_url)
    assert xlsx.headers["content-disposition"].startswith("attachment; filename=")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("File", "Child", "Form", "Severity")
    assert len(rows) == 1 + sum(len(f["findings"]) for f in data["files"])
    assert rows[1][0] == "contingency.json" and rows[1][1].startswith("C1004") and rows[1][3] == "Error"


def test_form_problems_are_govuk_error_messages_linked_from_the_summary(client):
    r = client.post("/check", data={"csrf": csrf(client), "profile": "warrington", "as_of_day": "31", "as_of_month": "2", "as_of_year": "2026"})
    assert r.status_code == 400
    assert '<a href="#files">Select one or more records to check</a>' in r.text
    assert '<a href="#as-of-day">The date to treat as today must be a real date</a>' in r.text
    assert 'id="files-error"' in r.text and r.text.count("govuk-error-message") >= 2
    assert "<title>Error: " in r.text


def test_a_command_line_problem_appears_as_an_error_message(client):
    r = check(client, ("notes.txt", b"not a record"), ("empty.json", b"  "))
    page = text_of(r.text)
    assert "notes.txt could not be checked: cannot read a '.txt' file. Records are .json, .yaml or .docx." in page
    assert "empty.json could not be checked: the file is empty." in page
    assert "/tmp" not in r.text and "permanence-web-" not in r.text  # the private folder is never shown


def test_a_form_without_the_csrf_token_is_refused(client):
    r = client.post("/check", data=OPTIONS, files=[("files", ("ppm.json", PPM.read_bytes(), "application/json"))])
    assert r.status_code == 403 and "Your session has expired" in r.text
    other = TestClient(client.app)
    r = other.post("/check", data={"csrf": csrf(client), **OPTIONS})  # another browser's token
    assert r.status_code == 403


def test_a_request_over_the_limit_is_a_413_page(client, monkeypatch):
    from permanence.web import check as check_page

    monkeypatch.setattr(check_page, "LIMIT", 50_000)
    r = check(client, ("big.json", b" " * 60_000))
    assert r.status_code == 413
    assert "The files are too large" in r.text and "Traceback" not in r.text


def test_results_belong_to_the_browser_that_asked_and_can_be_removed(client):
    r = check(client, ("ppm.json", PPM.read_bytes()))
    job_url = str(r.url).replace("http://testserver", "")
    assert TestClient(client.app).get(job_url).status_code == 404  # another session
    assert client.get(downloads(r.text)[0]).status_code == 200
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    gone = client.post(job_url + "/remove", data={"csrf": token})
    assert gone.status_code == 200 and "Your results have been removed" in gone.text
    assert client.get(job_url).status_code == 404
    assert client.get(downloads(r.text)[0]).status_code == 404


def test_an_internal_error_is_a_plain_page_and_logs_no_case_content(client, monkeypatch, caplog):
    import permanence.validate_command as vc

    def broken(paths, profile, as_of):
        raise RuntimeError("Ava Thompson, 14 Acacia Avenue")

    monkeypatch.setattr(vc, "check_paths", broken)
    with caplog.at_level(logging.DEBUG):
        r = check(client, ("ppm.json", PPM.read_bytes()))
    assert r.status_code == 500 and "Sorry, there is a problem" in r.text
    assert "Traceback" not in r.text and "RuntimeError" not in r.text and "Acacia" not in r.text
    assert "RuntimeError" in caplog.text and "Acacia" not in caplog.text and "Ava" not in caplog.text


def test_tracker_from_a_zip_then_rebuilt_from_its_own_workbook(client):
    from openpyxl import load_workbook

    data = {"csrf": csrf(client, "/tracker"), **OPTIONS}
    r = client.post("/tracker", data=data, files=[("caseload", ("caseload.zip", caseload_zip(), "application/zip"))])
    assert r.status_code == 200
    assert "14 children under the Warrington profile as of 23 November 2026" in text_of(r.text)
    workbook = client.get(downloads(r.text)[0]).content
    ws = load_workbook(io.BytesIO(workbook), read_only=True)["Permanence tracker"]
    ids = [row[0] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] and str(row[0]).startswith("C1")]
    assert len(ids) == 14
    # Rebuild with a caseload missing one child: that child is kept and greyed out.
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(caseload_zip())) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            if "C1014" not in info.filename:
                dst.writestr(info, src.read(info))
    r = client.post("/tracker", data=data, files=[("caseload", ("caseload.zip", buffer.getvalue(), "application/zip")),
                                                  ("current", ("team-tracker.xlsx", workbook, "application/octet-stream"))])
    page = text_of(r.text)
    assert "13 children" in page and "1 no longer in the caseload, kept and greyed out" in page
    assert "What was kept from the current tracker" in page
    assert client.get(downloads(r.text)[0]).headers["content-disposition"] == 'attachment; filename="team-tracker.xlsx"'


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("archive, words", [
    (_zip({"../case.json": b"{}"}), "outside its own folder"),
    (_zip({"case.json": b"{" + b" " * (30 * 1024 * 1024) + b"}"}), "larger than any record"),
    (_zip({"big.json": b" " * (15 * 1024 * 1024)}), "zip bomb"),
    (b"not a zip at all", "not a .zip file"),
])
def test_hostile_caseload_archives_are_refused_on_the_form(client, archive, words):
    data = {"csrf": csrf(client, "/tracker"), **OPTIONS}
    r = client.post("/tracker", data=data, files=[("caseload", ("caseload.zip", archive, "application/zip"))])
    assert r.status_code == 400
    assert '<a href="#caseload">caseload.zip: ' in r.text and words in unescape(r.text)


def test_audit_shows_the_checklist_and_the_downloads_open(client):
    import docx

    data = {"csrf": csrf(client, "/audit"), **OPTIONS, "auditor": "Jo Bright"}
    r = client.post("/audit", data=data, files=[("report", ("cpr.json", CPR.read_bytes(), "application/json"))])
    assert r.status_code == 200
    page = text_of(r.text)
    assert "Outcome:" in page and "G1" in page and "Ava Grace Thompson (C1001)" in page
    word_url, json_url = downloads(r.text)
    audit = json.loads(client.get(json_url).content)
    assert audit["form"] == "cpr-audit" and len(audit["items"]) >= 30
    document = docx.Document(io.BytesIO(client.get(word_url).content))
    body = "".join(document.element.body.itertext())  # content controls included
    assert "Jo Bright" in body and "Ava Grace Thompson" in body
    assert "OFFICIAL-SENSITIVE" in "\n".join(p.text for p in document.sections[0].header.paragraphs)


def test_another_childs_previous_audit_is_an_error_on_that_field(client):
    other = CASELOAD / "C1009-alfie-walsh" / "cpr.expected-audit.json"
    data = {"csrf": csrf(client, "/audit"), **OPTIONS}
    r = client.post("/audit", data=data, files=[("report", ("cpr.json", CPR.read_bytes(), "application/json")),
                                                ("previous", ("before.json", other.read_bytes(), "application/json"))])
    assert r.status_code == 400
    assert '<a href="#previous">before.json: the previous audit is the audit of Alfie' in unescape(r.text)
    assert 'id="previous-error"' in r.text


def test_each_blank_form_downloads_as_word(client):
    import docx

    page = client.get("/forms").text
    links = re.findall(r'href="(/forms/[a-z-]+\.docx)"', page)
    assert len(links) == 5
    for link in links:
        r = client.get(link)
        assert r.headers["content-disposition"] == f'attachment; filename="{link.rsplit("/", 1)[1].replace(".docx", "-blank.docx")}"'
        assert docx.Document(io.BytesIO(r.content)).paragraphs
    assert client.get("/forms/case.docx").status_code == 404


def test_nothing_is_kept_on_disk_and_the_logs_hold_no_case_content(client, private_tmp, caplog):
    with caplog.at_level(logging.DEBUG):
        check(client, ("C1001-ava-thompson.json", PPM.read_bytes()), ("notes.txt", b"Ava"))
        data = {"csrf": csrf(client, "/audit"), **OPTIONS}
        client.post("/audit", data=data, files=[("report", ("cpr.json", CPR.read_bytes(), "application/json"))])
        client.post("/tracker", data=data, files=[("caseload", ("caseload.zip", caseload_zip(), "application/zip"))])
        client.post("/tracker", data=data, files=[("caseload", ("bad.zip", _zip({"../x.json": b"{}"}), "application/zip"))])
        client.get("/forms/ppm-record.docx")
    assert list(private_tmp.rglob("*")) == []
    assert "GET /check" in caplog.text or "POST /check" in caplog.text
    for word in ("Ava", "Thompson", "C1001", "ava-thompson", "caseload.zip", "bad.zip"):
        assert word not in caplog.text


def test_a_token_is_asked_for_then_kept_in_a_cookie():
    token = "a-long-enough-test-token"
    with TestClient(create_app(Settings(token=token))) as c:
        r = c.get("/check")
        assert r.status_code == 401 and "access token" in r.text
        assert c.get("/check", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        r = c.get("/check?token=wrong")
        assert r.status_code == 401
        r = c.get(f"/check?token={token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/check"
        assert c.get("/check").status_code == 200
        assert c.get("/assets/app.css").status_code == 200


def test_a_reverse_proxy_header_is_required_when_configured():
    with TestClient(create_app(Settings(sso_header="X-Remote-User"))) as c:
        assert c.get("/").status_code == 401
        assert c.get("/", headers={"X-Remote-User": "jo.bright"}).status_code == 200


@pytest.mark.parametrize("args, words", [
    (["serve", "--host", "0.0.0.0"], "needs --token"),
    (["serve", "--host", "192.168.1.10", "--token", "short"], "at least 16 characters"),
    (["serve", "--port", "0"], "between 1 and 65535"),
])
def test_serve_refuses_to_start_in_one_line(cli, args, words):
    result = cli(args)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output


def test_an_error_in_a_page_itself_is_a_plain_page_and_never_reaches_the_server_log(client, monkeypatch, caplog):
    from permanence.web import pages

    def broken():
        raise KeyError("Ava Thompson")

    monkeypatch.setattr(pages, "profile_choices", broken)
    with caplog.at_level(logging.DEBUG):
        r = client.get("/check")  # the TestClient would raise if the exception escaped the app
    assert r.status_code == 500 and "Sorry, there is a problem" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert "KeyError" in caplog.text and "Ava" not in caplog.text and "Traceback" not in caplog.text


def test_a_word_form_is_checked_as_it_was_filled_in(client):
    blank = client.get("/forms/ppm-record.docx").content
    r = check(client, ("ppm-draft.docx", blank))
    page = text_of(r.text)
    assert "Permanence Planning Meeting record" in page and "ppm-draft.docx" in page
    assert re.search(r"\d+ errors?", page) and "could not be checked" not in page


def test_a_long_job_does_not_hold_up_other_users(monkeypatch):
    import threading

    import permanence.tracker.command as tc

    release, started = threading.Event(), threading.Event()
    real = tc.make_tracker

    def slow(*args, **kwargs):
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(tc, "make_tracker", slow)
    with TestClient(create_app(Settings(wait_seconds=0.1)), follow_redirects=True) as one, TestClient(one.app) as other:
        data = {"csrf": csrf(one, "/tracker"), **OPTIONS}
        r = one.post("/tracker", data=data, files=[("caseload", ("caseload.zip", caseload_zip(), "application/zip"))])
        assert started.wait(10)
        assert 'data-job-status="' in r.text and "Build the tracker" in r.text  # the progress page
        status = one.get(str(r.url) + "/status").json()
        assert status["state"] == "running"
        assert other.get("/").status_code == 200  # another user, while the tracker is still being built
        assert check(other, ("ppm.json", PPM.read_bytes())).status_code == 200
        release.set()
        for _ in range(100):
            if one.get(str(r.url) + "/status").json()["state"] != "running":
                break
            import time

            time.sleep(0.1)
        assert "14 children" in text_of(one.get(str(r.url)).text)


def test_a_cpr_in_word_is_audited(client, tmp_path):
    from permanence.forms.load import load_record
    from permanence.templates.render import render_record

    word = render_record(load_record(CPR), tmp_path / "cpr.docx", profile="warrington")
    data = {"csrf": csrf(client, "/audit"), **OPTIONS}
    r = client.post("/audit", data=data, files=[("report", ("Ava CPR.docx", word.read_bytes(), "application/octet-stream"))])
    assert r.status_code == 200
    page = text_of(r.text)
    assert "Outcome:" in page and "Ava CPR.docx" in page and "(C1001)" in page


def test_too_many_files_is_an_error_on_the_field(client, monkeypatch):
    from permanence.web import check as check_page

    monkeypatch.setattr(check_page, "MAX_FILES", 2)
    r = check(client, *[(f"{i}.json", PPM.read_bytes()) for i in range(3)])
    assert r.status_code == 400 and '<a href="#files">Choose at most 2 files at a time</a>' in r.text


def test_on_loopback_only_its_own_host_names_are_answered():
    hosts = frozenset({"127.0.0.1", "localhost", "[::1]"})
    with TestClient(create_app(Settings(allowed_hosts=hosts)), base_url="http://127.0.0.1:8765") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200
        r = c.get("/", headers={"host": "evil.example:8765"})
        assert r.status_code == 400 and "Open the page by its own address" in r.text


def test_a_value_typed_over_a_worked_out_cell_is_reported_as_moved_to_notes(client):
    from openpyxl import load_workbook

    data = {"csrf": csrf(client, "/tracker"), **OPTIONS}
    r = client.post("/tracker", data=data, files=[("caseload", ("caseload.zip", caseload_zip(), "application/zip"))])
    wb = load_workbook(io.BytesIO(client.get(downloads(r.text)[0]).content))
    ws = wb["Permanence tracker"]
    column = [c.value for c in ws[1]].index("Next PPM due") + 1
    row = next(i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value == "C1001")
    ws.cell(row, column).value = "moved to January"
    buffer = io.BytesIO()
    wb.save(buffer)
    r = client.post("/tracker", data=data, files=[("caseload", ("caseload.zip", caseload_zip(), "application/zip")),
                                                  ("current", ("tracker.xlsx", buffer.getvalue(), "application/octet-stream"))])
    page = text_of(r.text)
    assert "Moved to Notes, or kept as the meeting typed it:" in page
    assert "moved to January" in page or "Next PPM due" in page
    assert "permanence-web-" not in page and "/tmp" not in page
