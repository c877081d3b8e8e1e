"""Word lists are data, and a local authority can extend them from a folder of its own."""
from __future__ import annotations

import datetime as dt

import pytest

from permanence.checks.audit import build_audit
from permanence.checks.wordlists import LIST_NAMES, load_wordlists
from permanence.findings import UserError


def test_shipped_lists_load_with_notes():
    wl = load_wordlists([])
    for name in ("generalisations", "judgemental", "acronyms", "services", "domain_words"):
        assert wl.terms(name), name
    assert wl.note("acronyms", "CAMHS") == "Child and Adolescent Mental Health Services"
    assert set(LIST_NAMES) >= {"jargon", "unverified", "relations", "specifics"}


def test_authority_folder_adds_and_removes_entries(tmp_path, monkeypatch):
    (tmp_path / "generalisations.txt").write_text("# ours\nunsettled home life | say what happened\n!poor mental health\n", "utf-8")
    (tmp_path / "services.txt").write_text("Oakwood Project | family support service\n", "utf-8")
    monkeypatch.setenv("PERMANENCE_WORDLISTS", str(tmp_path))
    (tmp_path / "empty.toml").write_text("", "utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(tmp_path / "empty.toml"))
    wl = load_wordlists()
    assert "unsettled home life" in wl.terms("generalisations")
    assert "poor mental health" not in wl.terms("generalisations")
    data = {"form": "cpr", "birth_parents": [{"name": "Gemma Thompson", "health": "Gemma had an unsettled home life. She has poor mental health.",
                                             "support_offered": "Gemma went to the Oakwood Project."}]}
    items = {i["id"]: i for i in build_audit(data, as_of=dt.date(2026, 11, 23), wordlists=wl)["items"]}
    assert [e["excerpt"] for e in items["G9"]["evidence"]] == ["unsettled home life"]
    assert [e["excerpt"] for e in items["G12"]["evidence"]] == ["Oakwood Project"]


def test_folder_from_configuration_file(tmp_path, monkeypatch):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "judgemental.txt").write_text("shambolic | describe what happened\n", "utf-8")
    cfg = tmp_path / "permanence.toml"
    cfg.write_text('[audit]\nwordlists = ["lists"]\n', "utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(cfg))
    monkeypatch.delenv("PERMANENCE_WORDLISTS", raising=False)
    assert "shambolic" in load_wordlists().terms("judgemental")


def test_missing_folder_is_a_plain_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PERMANENCE_WORDLISTS", str(tmp_path / "nope"))
    (tmp_path / "empty.toml").write_text("", "utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(tmp_path / "empty.toml"))
    with pytest.raises(UserError, match="word-list folder"):
        load_wordlists()


def test_everyday_acronyms_are_suggested_not_counted():
    """'GP | general practitioner | everyday': spelling GP out is suggested in plain words
    ('general practitioner (GP)', not 'general practitioner (family doctor) (GP)') but GP
    alone does not push G11 to Partial or No."""
    wl = load_wordlists([])
    assert wl.note("acronyms", "GP") == "general practitioner | everyday"
    only_gp = {"form": "cpr", "development": {"needs": "Ava's needs were discussed with her GP."}}
    g11 = next(i for i in build_audit(only_gp, as_of=dt.date(2026, 11, 23), wordlists=wl)["items"] if i["id"] == "G11")
    # Nothing else to flag: Yes (G11 is no longer left to Review when nothing is found), with the suggestion.
    assert g11["answer"] == "yes" and "'general practitioner (GP)'" in g11["comments"] and not g11.get("actions")
    with_iro = {"form": "cpr", "development": {"needs": "Ava's needs were discussed with her GP and the IRO."}}
    g11 = next(i for i in build_audit(with_iro, as_of=dt.date(2026, 11, 23), wordlists=wl)["items"] if i["id"] == "G11")
    assert g11["answer"] == "partial" and [e["excerpt"] for e in g11["evidence"]] == ["IRO"]
    assert g11["actions"] == ["Spell out IRO at its first use: 'Independent Reviewing Officer (IRO)'."]
    # spelled out at first use: nothing to suggest
    spelled = {"form": "cpr", "development": {"needs": "Her general practitioner (GP) saw her; the GP agreed."}}
    g11 = next(i for i in build_audit(spelled, as_of=dt.date(2026, 11, 23), wordlists=wl)["items"] if i["id"] == "G11")
    assert "GP" not in g11.get("comments", "")
