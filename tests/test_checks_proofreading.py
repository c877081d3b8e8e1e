"""Proofreading engines. hunspell (en-GB) always runs for real; LanguageTool is tested only
when one is configured (a server URL or a local directory), and skipped with the reason
otherwise; the public API is never chosen unless explicitly switched on."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from permanence.checks.proofreading import Engine, HunspellEngine, LanguageToolEngine, make_engine
from permanence.checks.text import TextField
from permanence.config import Config, load_config

pytestmark = pytest.mark.skipif(shutil.which("hunspell") is None, reason="hunspell is part of the project's system packages")


def fields(*texts):
    return [TextField(("child", f"t{i}"), t) for i, t in enumerate(texts)]


def words(problems, flds):
    by_path = {f.path: f.text for f in flds}
    return sorted(by_path[p.path][p.start:p.end] for p in problems)


def test_hunspell_flags_misspellings_and_accepts_british_spelling():
    engine = HunspellEngine()
    flds = fields("Ava recieved her immunisations. Her behaviour is calm and her colour is good.",
                  "The organisation was definately helpful. Jadyn played.")
    found = words(engine.check(flds, known_words={"Jadyn"}), flds)
    assert found == ["definately", "recieved"]


def test_hunspell_suggests_corrections_and_g4_shows_them(tmp_path):
    engine = HunspellEngine()
    flds = fields("Ava recieved her immunisations.", "Teh carers were definately kind.")
    problems = engine.check(flds, known_words=set())
    hints = {words([p], flds)[0]: p.suggestions for p in problems}
    assert hints["recieved"][0] == "received" and hints["Teh"][0] == "The" and "definitely" in hints["definately"]
    # G4 puts the first suggestions beside each word.
    import datetime as dt

    from permanence.checks.audit import build_audit

    cpr = {"form": "cpr", "development": {"relationships": "Ava recieved her immunisations."}}
    g4 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 11, 23), engine=engine)["items"] if i["id"] == "G4")
    assert "recieved (perhaps 'received' or " in g4["comments"]


def test_unreachable_languagetool_is_a_sentence_in_the_report_not_a_log_line(cli, examples_dir, monkeypatch, tmp_path):
    (tmp_path / "empty.toml").write_text("", "utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(tmp_path / "empty.toml"))
    monkeypatch.setenv("PERMANENCE_LT_SERVER", "http://127.0.0.1:9")  # nothing listens on the discard port
    cpr = examples_dir / "caseload/C1001-ava-thompson/cpr.json"
    result = cli(["audit", cpr, "--as-of", "2026-05-26"])
    assert "WARNING" not in result.stderr and "permanence.checks" not in result.stderr
    assert result.stdout.splitlines()[1].startswith("Proofreading: LanguageTool is configured but could not start")
    assert ("could not start (the LanguageTool server in the configuration could not be reached), so spelling was checked with hunspell"
            in " ".join(result.stdout.split()))
    data = __import__("json").loads(cli(["audit", cpr, "--as-of", "2026-05-26", "--format", "json"]).stdout)
    assert data["proofreading"]["engine"] == "hunspell en-GB" and "could not be reached" in data["proofreading"]["note"]
    # An ordinary run does not print the engine's standard note.
    monkeypatch.delenv("PERMANENCE_LT_SERVER")
    assert "Proofreading:" not in cli(["audit", cpr, "--as-of", "2026-05-26"]).stdout


def test_hunspell_takes_names_domain_words_and_proper_nouns():
    engine = HunspellEngine()
    flds = fields("Gemma attended the SHOBPA panel and the genogram was updated. They met in Lymmington on Tuesday.")
    # genogram is a domain word, SHOBPA an acronym, Lymmington a proper noun in mid-sentence
    assert engine.check(flds, known_words={"Gemma", "genogram"}) == []


def test_hunspell_repeated_words_are_grammar():
    engine = HunspellEngine()
    flds = fields("Ava loves the the bath.")
    problems = engine.check(flds, known_words=set())
    assert [(p.kind, words([p], flds)[0]) for p in problems] == [("grammar", "the the")]


def test_case_text_goes_on_stdin_never_in_argv(monkeypatch):
    seen = []
    real_run = subprocess.run

    def recording_run(args, **kwargs):
        seen.append((list(args), kwargs.get("input")))
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording_run)
    HunspellEngine().check(fields("Gemma recieved a letter."), known_words=set())
    assert seen, "hunspell was not run"
    for args, stdin in seen:
        assert not any("recieved" in a or "Gemma" in a for a in args)
        assert b"recieved" in stdin


def test_make_engine_without_languagetool_uses_hunspell_and_never_the_public_api():
    engine, note = make_engine(Config())
    assert isinstance(engine, HunspellEngine) and engine.name == "hunspell en-GB"
    engine, note = make_engine(Config(lt_server=None, lt_jar_dir=None, lt_public_api=False), prefer="none")
    assert type(engine) is Engine and "Language checks only" in note


def test_languagetool_directory_that_does_not_exist_falls_back_with_a_note(tmp_path):
    engine, note = make_engine(Config(lt_jar_dir=str(tmp_path / "missing")))
    assert isinstance(engine, HunspellEngine)
    assert "LanguageTool is configured but could not start" in note


def test_languagetool_when_configured():
    cfg = load_config()
    if not (cfg.lt_server or cfg.lt_jar_dir):
        pytest.skip("no LanguageTool configured (set PERMANENCE_LT_SERVER or LTP_JAR_DIR_PATH to test against a real one)")
    engine = LanguageToolEngine(server=cfg.lt_server, jar_dir=cfg.lt_jar_dir)
    try:
        flds = fields("Ava recieved her immunisations and she are happy.")
        problems = engine.check(flds, known_words=set())
        assert "recieved" in words([p for p in problems if p.kind == "spelling"], flds)
        assert any(p.kind == "grammar" for p in problems)
    finally:
        engine.close()


@pytest.mark.skipif(not os.path.exists("/usr/share/hunspell/en_med_glut.dic"), reason="hunspell-en-med is installed by scripts/setup")
def test_clinical_words_are_checked_against_the_medical_dictionary_too():
    engine = HunspellEngine()
    assert engine.dictionary == "en_GB,en_med_glut"
    flds = fields("The orthoptist and the audiologist saw Kit; a café-au-lait mark was noted.", "The orthoptist recieved the letter.")
    assert words(engine.check(flds, known_words={"Kit"}), flds) == ["recieved"]


@pytest.mark.skipif(not os.path.exists("/usr/share/dict/british-english-huge"), reason="wbritish-huge is installed by scripts/setup")
def test_real_words_of_the_larger_british_word_list_are_not_misspellings():
    engine = HunspellEngine()
    flds = fields("Noor loves the stegosaurus and the triceratops, and goes trampolining on Saturdays.",
                  "She definately enjoys it.")
    assert words(engine.check(flds, known_words={"Noor"}), flds) == ["definately"]


def test_compounds_written_solid_and_quoted_words_are_not_misspellings():
    engine = HunspellEngine()
    flds = fields("Zain made a playdough snake. His carer calls him \"my little bumblebug\" and he says \"ba-ba\" for bottle.",
                  "His wellbeing is good, but he was recieved late.")
    assert words(engine.check(flds, known_words={"Zain"}), flds) == ["recieved"]


def test_a_word_of_another_language_explained_where_it_stands_is_no_misspelling():
    from permanence.checks.proofreading import glossed

    for text, word in (("stirring the cawl (a Welsh lamb and vegetable stew) on Sundays", "cawl"),
                       ("he asks for a cwtch (a cuddle) when he is tired", "cwtch"),
                       ("She also loves bara brith, the Welsh fruit loaf her Nan bakes", "bara"),
                       ("what he calls 'Taid', Welsh for grandad", "Taid")):
        start = text.index(word)
        assert glossed(text, start, start + len(word)), text
    text = "She ate the cawl and went to bed."
    assert not glossed(text, text.index("cawl"), text.index("cawl") + 4)


def test_a_first_name_before_a_family_surname_and_everyday_food_words_are_not_misspellings():
    import datetime as dt

    from permanence.checks.audit import build_audit
    from permanence.checks.wordlists import load_wordlists

    text = "Tobenna Okafor, called Tobi, loves jollof rice. Tobenna eats fufu on Sundays. He recieved a bike."
    cpr = {"form": "cpr", "child": {"first_names": "Amara", "surname": "Okafor"}, "siblings": [{"name": "Tobi", "relationship_with_child": text}]}
    engine = HunspellEngine()
    g4 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1), wordlists=load_wordlists(), engine=engine)["items"] if i["id"] == "G4")
    assert "Tobenna" not in g4.get("comments", "") and "jollof" not in g4.get("comments", "") and "fufu" not in g4.get("comments", "")
    assert "recieved" in g4["comments"]  # a real misspelling beside them is still found
