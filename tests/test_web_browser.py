"""`permanence serve` in a real browser: Debian's Chromium driven by Selenium against the
server on a free loopback port. Each journey is walked end to end (choose files, submit,
read the page, download, open the download), axe-core checks every page and state, and
the forms are used by keyboard. Screenshots go to $PERMANENCE_SCREENSHOTS when it is set."""
from __future__ import annotations

import io
import json
import os
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="Debian's chromium and chromium-driver are not installed (scripts/setup installs them)")

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "examples" / "caseload"
AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
AXE_RESULTS: dict[str, int] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gate:
    """Holds the tracker's job until the test has looked at the progress page."""

    def __init__(self):
        self.open = threading.Event()
        self.open.set()


@pytest.fixture(scope="module")
def server():
    import uvicorn

    from permanence.web.app import Settings, create_app

    gate = Gate()
    import permanence.tracker.command as tc

    real = tc.make_tracker

    def gated(*args, **kwargs):
        gate.open.wait(30)
        return real(*args, **kwargs)

    tc.make_tracker = gated
    port = free_port()
    app = create_app(Settings(wait_seconds=0.5))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}", gate
    srv.should_exit = True
    thread.join(10)
    tc.make_tracker = real


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False, "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def axe_check(driver, state: str) -> None:
    """axe-core (every rule, WCAG 2.2 AA included) finds no violation on the page as it is."""
    from axe_selenium_python import Axe

    axe = Axe(driver, script_url=str(AXE))
    axe.inject()
    results = axe.run(options='{"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}')
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]
    AXE_RESULTS[state] = {"violations": len(violations), "rules_passed": len(results["passes"]),
                          "incomplete": len(results["incomplete"]), "axe": results["testEngine"]["version"]}
    assert violations == [], f"{state}: {violations}"
    screenshot(driver, state)
    folder = os.environ.get("PERMANENCE_SCREENSHOTS")
    if folder:
        (Path(folder) / "issue-13-web-axe.json").write_text(json.dumps(AXE_RESULTS, indent=1))


def screenshot(driver, state: str) -> None:
    folder = os.environ.get("PERMANENCE_SCREENSHOTS")
    if not folder:
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1200, min(max(height + 150, 700), 6000))
    Path(folder).mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(Path(folder) / f"issue-13-web-{state}.png"))
    driver.set_window_size(1200, 1000)


def wait_for(driver, condition, seconds: float = 20.0, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition(driver)
            if value:
                return value
        except Exception:  # noqa: BLE001 - the page is still loading
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} on {driver.current_url}")


def heading(driver) -> str:
    return driver.find_element("css selector", "h1").text


def set_date(driver, day="23", month="11", year="2026", profile="warrington") -> None:
    from selenium.webdriver.support.select import Select

    Select(driver.find_element("id", "profile")).select_by_value(profile)
    for part, value in (("day", day), ("month", month), ("year", year)):
        field = driver.find_element("id", f"as-of-{part}")
        field.clear()
        field.send_keys(value)


def download(driver, link_text: str) -> Path:
    before = set(driver.downloads.iterdir())
    from selenium.webdriver.common.keys import Keys

    driver.find_element("partial link text", link_text).send_keys(Keys.ENTER)  # by keyboard
    path = wait_for(driver, lambda d: next((p for p in set(d.downloads.iterdir()) - before
                                            if not p.name.endswith((".crdownload", ".tmp"))), None), what=f"download of {link_text}")
    time.sleep(0.2)
    return path


def submit(driver) -> None:
    """Send the form by keyboard: Enter on its button."""
    from selenium.webdriver.common.keys import Keys

    driver.find_element("css selector", "form button[type=submit]").send_keys(Keys.ENTER)


def tab_order(driver, presses: int = 40) -> list[str]:
    """What the Tab key reaches, in order, from the top of the page (ids, else the text)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = []
    for _ in range(presses):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        el = driver.switch_to.active_element
        reached.append(el.get_attribute("id") or el.text.strip())
    return reached


def results_page(driver, title: str) -> None:
    wait_for(driver, lambda d: heading(d) == title, what=title)


def test_start_privacy_and_forms_pages(server, browser):
    from selenium.webdriver.common.keys import Keys

    base, _ = server
    browser.get(base + "/")
    assert heading(browser) == "Permanence paperwork"
    axe_check(browser, "01-start")
    browser.find_element("link text", "What happens to your files").send_keys(Keys.ENTER)
    assert heading(browser) == "What happens to your files"
    axe_check(browser, "02-privacy")
    browser.get(base + "/forms")
    axe_check(browser, "03-blank-forms")
    saved = download(browser, "Permanence Planning Meeting record")
    import docx

    assert saved.name == "ppm-record-blank.docx"
    assert "Permanence Planning Meeting" in "".join(docx.Document(saved).element.body.itertext())
    browser.get(base + "/no-such-page")
    assert heading(browser) == "Page not found"
    axe_check(browser, "04-not-found")


def test_check_by_keyboard_errors_then_results_and_downloads(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    base, _ = server
    browser.get(base + "/")
    # By keyboard: the skip link first, then through the navigation to "Check a draft".
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to main content"
    for _ in range(10):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.switch_to.active_element.text == "Check a draft":
            break
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_for(browser, lambda d: heading(d) == "Check a draft", what="the check page")
    axe_check(browser, "05-check-form")
    reached = tab_order(browser)
    for control in ("files", "profile", "as-of-day", "as-of-month", "as-of-year", "Check the records"):
        assert control in reached, f"Tab does not reach {control}: {reached}"
    assert reached.index("files") < reached.index("profile") < reached.index("as-of-day") < reached.index("Check the records")
    # Submit with nothing chosen and a date that does not exist, by keyboard.
    set_date(browser, "31", "2", "2026")
    browser.find_element("id", "as-of-year").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: d.find_elements("class name", "govuk-error-summary"), what="the error summary")
    focused = browser.switch_to.active_element
    assert "govuk-error-summary" in focused.get_attribute("class"), "focus moves to the error summary"
    assert browser.title.startswith("Error: ")
    links = [a.text for a in browser.find_elements("css selector", ".govuk-error-summary__list a")]
    assert links == ["Select one or more records to check", "The date to treat as today must be a real date"]
    axe_check(browser, "06-check-errors")
    browser.find_element("link text", "Select one or more records to check").send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "files"
    # Choose two records, one with a mistake, and send the form.
    files = [CASELOAD / "C1001-ava-thompson" / "ppm-2026-11-11.json", ROOT / "examples" / "invalid" / "ppm-missing-contingency-plan.json"]
    browser.find_element("id", "files").send_keys("\n".join(str(f) for f in files))
    set_date(browser)
    browser.find_element("css selector", "form button[type=submit]").send_keys(Keys.ENTER)
    results_page(browser, "Check a draft: results")
    page = browser.find_element("tag name", "main").text
    assert "2 files checked: 1 passed, 1 with errors" in page
    assert "Contingency plans" in page and "Passed" in page
    assert "govuk-error-summary" in browser.switch_to.active_element.get_attribute("class")
    axe_check(browser, "07-check-results")
    report = json.loads(download(browser, "The report (JSON)").read_text("utf-8"))
    assert report["summary"] == {"files": 2, "valid": 1, "invalid": 1, "unreadable": 0, "errors": 1, "warnings": 0}
    from openpyxl import load_workbook

    rows = list(load_workbook(download(browser, "The findings as a spreadsheet")).active.iter_rows(values_only=True))
    assert rows[1][0] == "ppm-missing-contingency-plan.json" and rows[1][5] == "Contingency plans"
    # The error summary's link goes to the finding.
    browser.find_element("css selector", ".govuk-error-summary__list a").send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "file-1-finding-0"


def test_audit_a_cpr_and_open_the_word_form(server, browser):
    import docx

    base, _ = server
    browser.get(base + "/audit")
    axe_check(browser, "08-audit-form")
    browser.find_element("id", "report").send_keys(str(CASELOAD / "C1001-ava-thompson" / "cpr.json"))
    browser.find_element("id", "auditor").send_keys("Jo Bright")
    set_date(browser)
    submit(browser)
    results_page(browser, "Audit a CPR: results")
    page = browser.find_element("tag name", "main").text
    assert "Outcome:" in page and "Ava Grace Thompson (C1001)" in page and "G1" in page
    axe_check(browser, "09-audit-results")
    document = docx.Document(download(browser, "The audit form (Word)"))
    text = "".join(document.element.body.itertext())
    assert "Jo Bright" in text and "Ava Grace Thompson" in text
    audit = json.loads(download(browser, "The audit record (JSON").read_text("utf-8"))
    assert audit["form"] == "cpr-audit" and audit["header"]["auditor"] == "Jo Bright"
    # A re-audit with another child's audit: the error is on that field.
    browser.get(base + "/audit")
    browser.find_element("id", "report").send_keys(str(CASELOAD / "C1001-ava-thompson" / "cpr.json"))
    browser.find_element("id", "previous").send_keys(str(CASELOAD / "C1009-alfie-walsh" / "cpr.expected-audit.json"))
    set_date(browser)
    submit(browser)
    wait_for(browser, lambda d: d.find_elements("id", "previous-error"), what="the error on the previous audit")
    assert "govuk-error-summary" in browser.switch_to.active_element.get_attribute("class")
    axe_check(browser, "10-audit-error")


def _caseload_zip(folder: Path) -> Path:
    path = folder / "caseload.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(CASELOAD.rglob("*")):
            if p.is_file():
                z.write(p, "caseload/" + p.relative_to(CASELOAD).as_posix())
    return path


def test_build_the_tracker_with_progress_then_rebuild(server, browser, tmp_path):
    from openpyxl import load_workbook

    base, gate = server
    archive = _caseload_zip(tmp_path)
    browser.get(base + "/tracker")
    axe_check(browser, "11-tracker-form")
    browser.find_element("id", "caseload").send_keys(str(archive))
    set_date(browser)
    gate.open.clear()  # hold the job so the progress page can be seen
    try:
        submit(browser)
        wait_for(browser, lambda d: heading(d) == "Build the tracker" and d.find_elements("id", "progress-text"), what="the progress page")
        axe_check(browser, "12-tracker-progress")
    finally:
        gate.open.set()
    results_page(browser, "Build the tracker: results")  # the page shows the results by itself
    assert "14 children under the Warrington profile" in browser.find_element("tag name", "main").text
    axe_check(browser, "13-tracker-results")
    saved = download(browser, "The tracker workbook")
    ids = [r[0] for r in load_workbook(saved, read_only=True)["Permanence tracker"].iter_rows(min_row=2, values_only=True)
           if r[0] and str(r[0]).startswith("C1")]
    assert len(ids) == 14
    # Rebuild: the current tracker chosen too; the meeting's workbook keeps its name.
    current = tmp_path / "team-tracker.xlsx"
    shutil.copy(saved, current)
    browser.get(base + "/tracker")
    browser.find_element("id", "caseload").send_keys(str(archive))
    browser.find_element("id", "current").send_keys(str(current))
    set_date(browser)
    submit(browser)
    results_page(browser, "Build the tracker: results")
    assert "What was kept from the current tracker" in browser.find_element("tag name", "main").text
    axe_check(browser, "14-tracker-rebuilt")
    assert download(browser, "The tracker workbook").name == "team-tracker.xlsx"
    # Finish: the results are removed.
    from selenium.webdriver.common.keys import Keys

    browser.find_element("css selector", "form[action$='/remove'] button").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Your results have been removed" in d.page_source, what="the removal banner")
    axe_check(browser, "15-removed")


def test_the_serve_command_starts_and_answers_on_loopback():
    import subprocess
    import sys
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "permanence.cli", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    assert r.status == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"Open http://127.0.0.1:{port}/ in your browser" in err
