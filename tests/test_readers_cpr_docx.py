"""The reader of a CPR in any Word template (permanence/forms/readers/cpr_docx.py).

Over the shared corpus (three templates the project did not write) and over variations
made here with python-docx: heading styles replaced by direct bold, sections reordered,
headings reworded with synonyms, a section deleted, numbered headings, italic template
questions, one long question-and-answer table. Each asserts what lands where."""
from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from permanence.findings import UserError
from permanence.forms import readers
from permanence.forms.load import load_record
from permanence.forms.readers import cpr_docx, docx_blocks
from permanence.forms.readers import cpr_parse as parse
from permanence.forms.readers.vocabulary import load_vocabulary

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cpr"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/cpr")
CASES = sorted(CORPUS.glob("D*.docx")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CASES, reason="the shared CPR corpus is not on this machine")


@functools.lru_cache(maxsize=16)
def read_case(path: Path):
    return load_record(path)


def strings(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from strings(v, (*path, i))
    elif isinstance(node, str):
        yield path, node


DERIVED = {"parent", "subject", "comments", "support_response", "adoption_experience"}  # gathered from the text, not copied


def pointer(path) -> str:
    return "/" + "/".join(str(p) for p in path)


# ---------------------------------------------------------------- the shared corpus

@needs_corpus
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_corpus_report_is_read_as_a_cpr_with_its_sections_placed(path):
    record = read_case(path)
    assert record.form == "cpr" and record.reader == "cpr_docx"
    assert record.sections_found >= 25, record.sections_found
    data = record.data
    assert data["child"]["first_names"] and data["child"]["date_of_birth"]
    assert len(data["birth_parents"]) >= 2
    assert data["chronologies"]["agency_actions"] and data["chronologies"]["child"]
    assert data["health"]["summary"] and data["options_analysis"]
    assert len(record.unplaced) <= 16


@needs_corpus
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_corpus_report_loses_no_paragraph(path):
    """Every paragraph of the report's text is in the record or listed as unplaced (headings,
    template questions and the protective marking aside)."""
    record = read_case(path)
    held = " ".join(v for _, v in strings(record.data)) + " " + " ".join(u["text"] for u in record.unplaced)
    held = " ".join(held.split())
    document = docx.Document(str(path))
    missing = []
    for p in document.paragraphs:
        text = " ".join(p.text.split())
        bold = all(r.bold for r in p.runs if r.text.strip()) and p.text.strip()
        italic = all(r.italic for r in p.runs if r.text.strip()) and p.text.strip()
        if len(text.split()) < 6 or p.style.name.lower().startswith(("heading", "title")) or bold or italic:
            continue
        candidates = [text]
        label = parse.lead_in(text)
        if label:
            candidates.append(label[1])
        entry = parse.dated_line(text)
        if entry:
            candidates.append(entry["event"])
        if not any(c[:40] in held for c in candidates):
            missing.append(text[:80])
    assert not missing, missing[:5]


@needs_corpus
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_value_points_at_the_place_it_stood(path):
    """origin: each text value's place is a paragraph or cell holding that text."""
    record = read_case(path)
    document = docx.Document(str(path))
    body = document.element.body
    checked = 0
    for path_, value in strings(record.data):
        places = record.origin.get(pointer(path_), "").split()
        if not places or len(value) < 12 or re.fullmatch(r"[a-z_]+", value) or path_[-1] in DERIVED:
            continue  # dates, the schema's codes and values gathered from several places are not the text as written
        first_line = value.split("\n")[0]
        texts = []
        for place in places:
            el = docx_blocks.find_place(body, place)
            assert el is not None, (path_, place)
            texts.append(" ".join("".join(t for t, _ in docx_blocks._runs(p)) for p in ([el] if el.tag.endswith("}p") else el.iter(el.tag[:-2] + "p"))))
        joined = " ".join(texts)
        joined += " " + re.sub(r"\s*\([^)]*\)", "", joined)  # a name given with a nickname in brackets
        flat = lambda t: re.sub(r"[\s:]+", " ", t)  # noqa: E731 - "Label: value" from a label cell and a value cell
        assert flat(first_line[:25]) in flat(joined) or flat(first_line[-25:]) in flat(joined), (path_, first_line[:60], joined[:200])
        checked += 1
    assert checked > 40
    for item in record.unplaced:
        assert docx_blocks.find_place(body, item["where"]) is not None


@needs_corpus
def test_coram_style_tables_become_fields_chronologies_and_options():
    record = load_record(CORPUS / "D02.docx")
    data = record.data
    assert data["child"]["first_names"] == "Jacob Lee" and data["child"]["surname"] == "Harrington"
    assert data["child"]["date_of_birth"] == "2023-05-09" and data["child"]["sex"] == "male"
    assert data["child"]["first_language"] == "English"
    assert data["child"]["legal_status"] == "interim_care_order" and data["child"]["legal_order"]["date_made"] == "2026-03-03"
    assert data["child"]["placement_since"] == "2026-03-03" and data["child"]["placement_type"] == "foster_care"
    assert [p["name"] for p in data["birth_parents"]] == ["Stacey Louise Harrington", "Lee Martin Dawes"]
    mother = data["birth_parents"][0]
    assert mother["relationship"] == "mother" and "Julie" in mother["history"]["childhood"]
    assert mother["report_sharing"]["shared"] is True and mother["report_sharing"]["date"] == "2026-11-10"
    child_chron = data["chronologies"]["child"]
    assert child_chron[0] == {"date": "2023-05-09", "event": "Jacob born at Northfield District Hospital", "source": "Hospital records"}
    assert [c["parent"] for c in data["chronologies"]["parents"]] == ["Stacey Louise Harrington", "Lee Martin Dawes"]
    assert data["health"]["medical_adviser_report"]["date"] == "2026-10-02"
    assert [o["option"] for o in data["options_analysis"]][:2] == ["reunification", "connected_carer_fostering"]
    assert data["siblings"][0]["name"] == "Kieran Dawes" and data["siblings"][0]["relationship"] == "paternal_half"
    assert data["author"]["name"] == "Hannah Price" and data["manager"]["signed_date"] == "2026-11-16"


@needs_corpus
def test_authority_template_dated_paragraphs_and_sibling_headings():
    data = load_record(CORPUS / "D06.docx").data
    assert [s["name"] for s in data["siblings"]] == ["Maisie Dobson", "Callum Pennock-Ward"]
    assert [s["relationship"] for s in data["siblings"]] == ["maternal_half", "paternal_half"]
    child = data["chronologies"]["child"]
    assert child[0]["date"] == "2020-02-11" and child[0]["event"].startswith("You were born")
    assert any(e["date"] == "2020-05-01" and e.get("date_approximate") for e in child)
    danielle = next(c for c in data["chronologies"]["parents"] if c["parent"].startswith("Danielle"))
    assert danielle["entries"][0] == {"date": "1995-06-05", "event": "Danielle born in Calderbrook."}
    assert data["wishes_and_feelings"]["child"]["work_done"]


@needs_corpus
def test_combined_annex_b_bullets_with_sources_and_italic_questions():
    record = load_record(CORPUS / "D10.docx")
    data = record.data
    agency = data["chronologies"]["agency_actions"]
    assert agency[0]["date"] == "2024-02-16" and agency[0]["source"] == "case record"
    kerry = next(c for c in data["chronologies"]["parents"] if c["parent"].startswith("Kerry"))
    assert kerry["entries"][0]["source"] == "Kerry; Maureen"
    # the template's italic questions are not part of the answers
    assert not any("What is the child's legal status?" in v for _, v in strings(data))
    assert data["child"]["legal_order"]["court"].startswith("Family Court sitting at Northmere")
    father = next(p for p in data["birth_parents"] if p["relationship"] == "father")
    assert father["identified"] is False and "Dean" in father["efforts_to_identify"]
    photos = data["photographs"]
    assert len(photos) == 4 and any("reason_none" in p for p in photos)
    assert data["report"]["previous_audit"]["actions"][0]["done"].startswith("Done")


# ---------------------------------------------------------------- variations made here

SECTIONS = [  # (heading, synonym heading, paragraphs, where the first paragraph lands)
    ("Physical description", "Appearance", ["Sam is a tall boy with curly red hair and green eyes."], ("child", "physical_description")),
    ("Health", "Health history", ["Sam had his review health assessment on 3 March 2026 with the school nurse."], ("health", "summary")),
    ("Education", "Schooling", ["Sam attends Hilltop Primary School, where he is in Year 2."], ("education", "setting")),
    ("Personality and interests", "Likes and dislikes", ["Sam enjoys football, drawing and feeding the ducks."], ("child", "personality")),
    ("Identity and cultural needs", "Heritage", ["Sam is of mixed White British and Jamaican heritage."], ("child", "identity_analysis")),
    ("Child's chronology", "Life history", ["14/02/2019: Sam born at the General Hospital (birth certificate)",
                                             "03/2021: referral from the nursery about bruising (nursery records)"], ("chronologies", "child")),
    ("Agency chronology", "Local authority involvement", ["05/06/2021 – Child protection plan made for neglect."], ("chronologies", "agency_actions")),
    ("Current family time", "Contact arrangements", ["Sam sees his mother every Saturday for two hours at the family centre."], ("family_time", "current_summary")),
    ("Proposed future family time", "Post-adoption contact", ["After adoption Sam will have a letter from his mother once a year."], ("family_time", "proposed_summary")),
    ("Wishes and feelings", "Voice of the child", ["Sam says he wants to stay with his carers and still see his sister."], ("wishes_and_feelings", "child", "wishes_and_feelings")),
    ("Direct work", "Life story work", ["I have done six sessions of life story work with Sam using a memory box."], ("wishes_and_feelings", "child", "work_done")),
    ("Adoption support needs", "Support needs", ["Sam will need therapeutic parenting support in the long term."], ("adoption_support", "long_term")),
    ("Recommendation", "Conclusion and recommendation", ["I recommend that Sam should be placed for adoption."], ("agency_decision", "recommendation")),
    ("Legal status", "Legal position", ["Sam is subject to a care order made by the Family Court at Leeds on 4 May 2025."], ("child", "legal_order", "summary")),
    ("Current placement", "Where the child lives", ["Sam has lived with his foster carers since 12 January 2024."], ("child", "current_carers_account")),
    ("Genogram", "Family tree", ["The genogram dated 2 February 2026 is attached at Appendix 2."], ("genogram", "description")),
]


def make_cpr(path: Path, *, style: str = "heading", synonyms: bool = False, order=None, drop: str | None = None,
             numbered: bool = False, questions: bool = False, extra: tuple | None = None) -> Path:
    """A CPR written the way a template might: heading styles, direct bold, numbered, with
    italic questions, or as one long question-and-answer table."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    sections = [s for s in SECTIONS if s[0] != drop]
    if order is not None:
        sections = [sections[i] for i in order(len(sections))]
    if extra:
        sections = [*sections, extra]
    if style == "table":
        table = document.add_table(rows=0, cols=2)
        for heading, synonym, paragraphs, _ in sections:
            row = table.add_row().cells
            row[0].text = synonym if synonyms else heading
            row[1].text = "\n".join(paragraphs)
        document.save(path)
        return path
    for n, (heading, synonym, paragraphs, _) in enumerate(sections, 1):
        title = synonym if synonyms else heading
        if numbered:
            title = f"B{n // 5 + 1}.{n % 5 + 1} {title}"
        if style == "heading":
            document.add_heading(title, level=2)
        else:  # direct bold on a Normal paragraph: no heading style at all
            document.add_paragraph().add_run(title).bold = True
        if questions:
            document.add_paragraph().add_run(f"What does the report need to say about {heading.lower()}?").italic = True
        for text in paragraphs:
            document.add_paragraph(text)
    document.save(path)
    return path


def placed(record, target) -> str:
    node = record.data
    for key in target:
        node = node[key]
    if isinstance(node, list):
        return " ".join(" ".join(str(v) for v in e.values()) for e in node)
    return node


def assert_landed(record, sections=SECTIONS):
    for heading, _, paragraphs, target in sections:
        value = placed(record, target)
        first = paragraphs[0]
        probe = re.sub(r"^[\d/]+[:\s–-]+", "", first)[:30]
        assert probe in value, (heading, target, value[:120])
    assert not record.unplaced, record.unplaced


@pytest.mark.parametrize("variant", [
    {"style": "heading"}, {"style": "bold"}, {"style": "heading", "synonyms": True}, {"style": "bold", "synonyms": True},
    {"style": "heading", "numbered": True}, {"style": "bold", "numbered": True, "synonyms": True},
    {"style": "heading", "questions": True}, {"style": "table"}, {"style": "table", "synonyms": True},
], ids=lambda v: "-".join(f"{k}={val}" for k, val in v.items()))
def test_variation_lands_every_section_where_it_belongs(tmp_path, variant):
    record = cpr_docx.read(make_cpr(tmp_path / "cpr.docx", **variant))
    assert_landed(record)
    assert record.data["chronologies"]["child"][0] == {"date": "2019-02-14", "event": "Sam born at the General Hospital", "source": "birth certificate"}
    assert record.data["chronologies"]["child"][1]["date_approximate"] is True


def test_reordered_sections_land_in_the_same_places(tmp_path):
    record = cpr_docx.read(make_cpr(tmp_path / "cpr.docx", style="bold", order=lambda n: list(reversed(range(n)))))
    assert_landed(record)


def test_a_deleted_section_is_simply_absent(tmp_path):
    record = cpr_docx.read(make_cpr(tmp_path / "cpr.docx", drop="Health"))
    assert "health" not in record.data
    assert_landed(record, [s for s in SECTIONS if s[0] != "Health"])


def test_unknown_heading_is_reported_and_its_text_kept(tmp_path):
    extra = ("Update May 2026", "Update May 2026", ["Sam moved class in April.", "His carers report he is settled."], None)
    record = cpr_docx.read(make_cpr(tmp_path / "cpr.docx", extra=extra))
    assert [u["text"] for u in record.unplaced] == extra[2]
    assert {u["under"] for u in record.unplaced} == {"Update May 2026"}
    assert cpr_docx.unplaced_summary(record.unplaced) == ["2 paragraphs under 'Update May 2026' were not matched to a section of the report"]


def test_a_document_that_is_not_a_cpr_is_refused_in_one_line(tmp_path, ):
    document = docx.Document()
    document.add_heading("Minutes of the team meeting", 1)
    document.add_heading("Health", 2)
    document.add_paragraph("The team discussed staff wellbeing.")
    document.add_heading("Recommendation", 2)
    document.add_paragraph("Hold the meeting monthly.")
    path = tmp_path / "minutes.docx"
    document.save(path)
    with pytest.raises(UserError) as caught:
        load_record(path)
    message = str(caught.value)
    assert "\n" not in message and "found 2 of the" in message and "sections a CPR has" in message
    proc = subprocess.run([sys.executable, "-m", "permanence.cli", "audit", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "found 2 of the" in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_registry_sends_our_forms_to_the_form_reader(tmp_path):
    from permanence.templates.blank import write_blank

    blank = write_blank("cpr", tmp_path / "blank.docx")
    assert readers.kind_of(blank) == "form_docx"
    assert readers.kind_of(make_cpr(tmp_path / "any.docx")) == "cpr_docx"
    assert readers.kind_of(tmp_path / "x.json") == "json" and readers.kind_of(tmp_path / "x.yml") == "yaml"
    assert readers.kind_of(tmp_path / "x.txt") is None


def test_load_does_not_import_templates():
    code = ("import sys, permanence.forms.load, permanence.forms.readers; "
            "print(sorted(m for m in sys.modules if m.startswith('permanence.templates')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout


def test_authority_vocabulary_extends_the_shipped_one(tmp_path, monkeypatch):
    folder = tmp_path / "vocab"
    folder.mkdir()
    (folder / "cpr_headings.yaml").write_text(
        "sections:\n  - id: physical\n    headings: [\"Sam's looks and build\"]\n", encoding="utf-8")
    path = make_cpr(tmp_path / "cpr.docx", extra=("Looks and build", "Looks and build", ["Sam is small and wiry."], None))
    assert load_vocabulary([]).match("Looks and build")[0] is None
    record = cpr_docx.read(path, vocabulary=load_vocabulary([folder]))
    assert "Sam is small and wiry." in record.data["child"]["physical_description"]
    monkeypatch.setenv("PERMANENCE_VOCABULARIES", str(folder))
    assert "Sam is small and wiry." in load_record(path).data["child"]["physical_description"]


WORD_GROUP_HEADINGS = {  # a heading of SECTIONS -> the same heading in other everyday words (word_groups.yaml)
    "Personality and interests": "Character and hobbies",
    "Child's chronology": "The child's timeline",
    "Adoption support needs": "Help the child will need after adoption",
    "Recommendation": "Conclusion",
    "Physical description": "Description of appearance",
    "Current family time": "Present family time",
}


def test_a_heading_in_other_everyday_words_lands_where_the_usual_wording_does(tmp_path):
    """Word groups (forms/vocabularies/word_groups.yaml): 'timeline' reads as chronology,
    'help' as support, 'character' as personality, so a heading so reworded is placed."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    sections = [s for s in SECTIONS if s[0] in WORD_GROUP_HEADINGS]
    for heading, _, paragraphs, _ in sections:
        document.add_paragraph().add_run(WORD_GROUP_HEADINGS[heading]).bold = True
        for text in paragraphs:
            document.add_paragraph(text)
    for heading, _, paragraphs, _ in SECTIONS:  # the rest as usual, so the document is a CPR
        if heading not in WORD_GROUP_HEADINGS:
            document.add_heading(heading, level=2)
            for text in paragraphs:
                document.add_paragraph(text)
    path = tmp_path / "cpr.docx"
    document.save(path)
    record = cpr_docx.read(path)
    assert_landed(record, sections)
    assert record.data["chronologies"]["child"][0]["date"] == "2019-02-14"


def test_word_groups_fold_to_the_first_word_of_their_group():
    from permanence.forms.readers.vocabulary import words

    assert words("Brothers and sisters") == ("sibling",)
    assert words("Timeline of events") == words("Chronology of events")
    assert words("Help with schooling") == words("Support with education")


def test_a_question_and_answer_form_keeps_a_parents_chronology_and_each_sibling(tmp_path):
    """One long two-column form: a bold line inside an answer box heads the lines below it
    (the parent's chronology), and under a row across the form for brothers and sisters, a
    row naming a person is that sibling's entry."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    table = document.add_table(rows=0, cols=2)
    for heading, _, paragraphs, _ in SECTIONS:
        row = table.add_row().cells
        row[0].text, row[1].text = heading, "\n".join(paragraphs)
    row = table.add_row().cells
    row[0].text = "Birth mother: Jo Smith"
    box = row[1]
    box.text = "Jo was born in Leeds and grew up with her aunt after her own mother died."
    box.add_paragraph().add_run("Jo's chronology").bold = True
    box.add_paragraph("5 June 1995 – Jo born at Leeds General Infirmary.")
    box.add_paragraph("2011 – Jo leaves school with no qualifications.")
    across = table.add_row().cells
    across[0].merge(across[1]).text = "Brothers and sisters"
    for name, text in (("Maisie Dobson (maternal half-sister)", "Maisie was born on 20 August 2015 and lives with her father Lee."),
                       ("Callum Ward (paternal half-brother)", "Callum was born on 3 March 2012 and lives with his mother.")):
        row = table.add_row().cells
        row[0].text, row[1].text = name, text
    path = tmp_path / "cpr.docx"
    document.save(path)
    record = cpr_docx.read(path)
    assert_landed(record)
    chronology = record.data["chronologies"]["parents"]
    assert [c["parent"] for c in chronology] == ["Jo Smith"]
    assert [e["date"] for e in chronology[0]["entries"]] == ["1995-06-05", "2011-01-01"]
    assert chronology[0]["entries"][1]["date_approximate"] is True  # a year alone
    assert "grew up with her aunt" in str(record.data["birth_parents"][0])
    assert "Jo's chronology" not in str(record.data["birth_parents"][0])
    assert [s["name"] for s in record.data["siblings"]] == ["Maisie Dobson", "Callum Ward"]
    assert "lives with her father Lee" in str(record.data["siblings"][0])


def test_a_tie_between_wordings_goes_to_the_more_telling_words():
    """'Reduction of contact arrangements' holds every word of 'reduction of contact' and of
    'contact arrangements': the part named by a word few parts share (reduction) wins."""
    vocabulary = load_vocabulary([])
    part, _ = vocabulary.match("Reduction of contact arrangements")
    assert part.id == "family_time_reduction"
    assert vocabulary.match("Contact arrangements now")[0].id == "family_time_current"
    assert vocabulary.rarity(("reduction",)) > vocabulary.rarity(("contact",))


def test_unicode_spaces_read_as_plain_spaces_one_for_one(tmp_path):
    """A no-break or thin space typed between words is a space to every check, and the text
    keeps its length, so evidence offsets still point into the document's runs."""
    document = docx.Document()
    typed = "Your birth father has not\u00a0been identified;\u202fChloe met him in August\u20092025."
    document.add_paragraph(typed)
    path = tmp_path / "spaces.docx"
    document.save(path)
    [block] = docx_blocks.blocks(docx.Document(path).element.body)
    assert block.text == "Your birth father has not been identified; Chloe met him in August 2025."
    assert len(block.text) == len(typed)


def _document(tmp_path, paragraphs, name="cpr.docx"):
    """A Word document of plain Normal paragraphs (str), bold ones (('b', text)) or headings (('h', text, level))."""
    document = docx.Document()
    for p in paragraphs:
        if isinstance(p, str):
            document.add_paragraph(p)
        elif p[0] == "b":
            document.add_paragraph().add_run(p[1]).bold = True
        else:
            document.add_heading(p[1], level=p[2])
    path = tmp_path / name
    document.save(path)
    return path


OTHER_SECTIONS = [("h", "Health", 2), "Sam had his review health assessment on 3 March 2026.",
                  ("h", "Education", 2), "Sam attends Hilltop Primary School.",
                  ("h", "Identity", 2), "Sam is of mixed heritage.",
                  ("h", "Adoption support needs", 2), "Sam will need therapeutic parenting support.",
                  ("h", "Genogram", 2), "The genogram is attached.",
                  ("h", "Personality", 2), "Sam is cheerful and loves football."]


def test_a_document_numbered_in_plain_text_is_read_by_its_numbers(tmp_path):
    """'1. About Elis' over '1.1 Personal details', typed in Normal style: headings by their
    numbers; the child's first name in a heading reads as 'the child'; a chronology written
    as sentences opening with their dates is dated entries with their sources."""
    path = _document(tmp_path, [
        "1. About Elis", "1.1 Personal details", "Name: Elis Morgan.", "Date of birth: 10 January 2023.",
        "1.2 Wishes and feelings, and work with Elis",
        "Elis is too young to say what he wants. I have visited him every three weeks and we make a book together.",
        "1.3 Chronology of Elis's life",
        "On 10 January 2023 Elis was born at Royal Shrewsbury Hospital (hospital discharge summary).",
        "In May 2023 Elis was christened at the chapel in Llansilin (Nain's account).",
        "2. Elis's birth family", "2.1 Birth mother", "Sian Morgan is Elis's mother.",
        "2.1.1 Sian's chronology and social history", "On 5 June 1995 Sian was born in Oswestry (Sian's account).",
        *OTHER_SECTIONS])
    record = cpr_docx.read(path)
    assert record.data["child"]["first_names"] == "Elis" and record.data["child"]["surname"] == "Morgan"
    child = record.data["chronologies"]["child"]
    assert child[0] == {"date": "2023-01-10", "event": "Elis was born at Royal Shrewsbury Hospital", "source": "hospital discharge summary"}
    assert child[1]["date"] == "2023-05-01" and child[1]["date_approximate"] is True
    assert "make a book" in record.data["wishes_and_feelings"]["child"]["work_done"]
    assert record.data["chronologies"]["parents"][0]["entries"][0]["date"] == "1995-06-05"


def test_one_mother_however_many_headings_name_her(tmp_path):
    """'Birth mother: identity', 'Birth mother: wishes and feelings', 'What are my birth mother's
    wishes for me?': one mother, each part where it belongs; her name is the one leading her
    identity line, the rest kept."""
    path = _document(tmp_path, [
        ("b", "Birth mother: identity"), "Name: April Louise Dunmore, born 3 September 2001 in Grimsby.",
        ("b", "Birth mother: parenting capacity"), "April loves Poppy and kept her clean and dressed.",
        ("b", "Birth mother: wishes and feelings"), "April does not agree with the plan for adoption.",
        ("b", "Birth mother: was this report shared and what did she say?"), "I went through the report with April on 14 May 2026.",
        ("b", "My birth mother's chronology"), "03/09/2001: April born in Grimsby (April)",
        ("b", "Birth father: identity"), "Name: Kieran Patrick Walsh, born 21 January 1996.",
        *OTHER_SECTIONS])
    record = cpr_docx.read(path)
    parents = record.data["birth_parents"]
    assert [(p["relationship"], p.get("name")) for p in parents] == [("mother", "April Louise Dunmore"), ("father", "Kieran Patrick Walsh")]
    mother = parents[0]
    assert mother["date_of_birth"] == "2001-09-03"
    assert "kept her clean" in mother["parenting_capacity"]
    assert "does not agree" in mother["wishes"]["wishes_and_feelings"]
    assert mother["report_sharing"]["shared"] is True
    assert record.data["chronologies"]["parents"][0]["entries"][0]["date"] == "2001-09-03"


def test_typed_signatures_and_the_reports_own_date(tmp_path):
    """A name and a date under a signatures heading are a signature; 'Signed: <name>, <date>'
    names who signed; the report's date from how a report says it."""
    path = _document(tmp_path, [
        ("b", "Purpose of this report"), "This version, dated 20 May 2026, updates the report for the matching panel.",
        ("b", "Signatures"), "Author: Hannah Osei. Date: 20 May 2026.",
        "Manager: I have read and proofread this report. Signed: Paul Brennan, Team Manager, 21 May 2026.",
        *OTHER_SECTIONS])
    record = cpr_docx.read(path)
    assert record.data["report"]["report_date"] == "2026-05-20"
    assert record.data["author"] == {"name": "Hannah Osei", "signed": True, "signed_date": "2026-05-20"}
    assert record.data["manager"]["name"] == "Paul Brennan" and record.data["manager"]["signed"] is True
    assert record.data["manager"]["signed_date"] == "2026-05-21"


def test_a_front_sheet_of_two_label_value_pairs_a_row(tmp_path):
    """'Child's name | Kai Jordan Robson | Date of birth | 14 February 2022': both pairs are
    facts, each pointing at its own cell."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    table = document.add_table(rows=0, cols=4)
    for row in (("Child's name", "Kai Jordan Robson", "Date of birth", "14 February 2022"),
                ("Gender", "Male", "Place of birth", "Cheviot General Hospital"),
                ("Placement type", "Council foster carers (short-term)", "Placed there since", "5 January 2024"),
                ("Social worker", "Hannah Dodds", "Date of this version", "20 November 2024")):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    for p in OTHER_SECTIONS:
        if isinstance(p, str):
            document.add_paragraph(p)
        else:
            document.add_heading(p[1], level=p[2])
    path = tmp_path / "cpr.docx"
    document.save(path)
    record = cpr_docx.read(path)
    child = record.data["child"]
    assert (child["first_names"], child["surname"], child["date_of_birth"]) == ("Kai Jordan", "Robson", "2022-02-14")
    assert child["placement_since"] == "2024-01-05" and record.data["report"]["report_date"] == "2024-11-20"
    assert record.origin["/child/date_of_birth"].endswith("r0c3")


def test_a_chronology_table_whose_event_column_holds_its_source_too(tmp_path):
    """'Date | What happened and who told us': each entry's source is the bracket ending it."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    document.add_heading("Child's chronology", level=2)
    table = document.add_table(rows=0, cols=2)
    for row in (("Date", "What happened and who told us"), ("30 April 2015", "Skye was born (birth record)."),
                ("2019", "Skye went to live with her grandmother (court order).")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    for p in OTHER_SECTIONS + [("h", "Recommendation", 2), "I recommend adoption.", ("h", "Current family time", 2),
                               "Sam sees his mother weekly at the family centre."]:
        document.add_paragraph(p) if isinstance(p, str) else document.add_heading(p[1], level=p[2])
    path = tmp_path / "cpr.docx"
    document.save(path)
    entries = cpr_docx.read(path).data["chronologies"]["child"]
    assert entries[0] == {"date": "2015-04-30", "event": "Skye was born", "source": "birth record"}
    assert entries[1]["source"] == "court order" and entries[1]["date_approximate"] is True


def test_a_paragraph_of_run_in_facts_is_read_fact_by_fact(tmp_path):
    path = _document(tmp_path, [("h", "Personal details", 2),
                                "Name: Finley James Hartigan. Date of birth: 2 July 2022, born at Westmoor Royal Infirmary. "
                                "Gender: male. Ethnicity: White British. First language: English.", *OTHER_SECTIONS])
    child = cpr_docx.read(path).data["child"]
    assert (child["first_names"], child["surname"], child["date_of_birth"]) == ("Finley James", "Hartigan", "2022-07-02")
    assert (child["sex"], child["ethnicity"], child["first_language"]) == ("male", "White British", "English")


def test_label_dash_value_lines_in_a_plain_typed_report(tmp_path):
    """A report typed with no styles: capital headings, 'Label – value' lines. The lines above the
    first section are the child's facts; in a parent's entry 'Parental responsibility – yes' is her
    fact (not the heading of that part of the report), and 'Report shared –' and 'Support offered –'
    are this parent's, though the sentence names nobody."""
    path = _document(tmp_path, [
        "CHILD'S PERMANENCE REPORT", "Name – Ruby Mae Kowalski", "Date of birth – 3 September 2023",
        "Legal status – Interim care order made 12 January 2024; final hearing listed 7 April 2025, when the council will ask for a placement order",
        "RUBY'S MOTHER", "Name – Danielle Louise Whitfield", "Parental responsibility – yes",
        "Relationship status – single", "Description – She is tall and chatty.",
        "Wishes and feelings – She wants the children home.",
        "Report shared – I read this report with her at the family centre on 4 March 2025.",
        "Support offered – I referred her to an independent birth parent service on 12 September 2024.",
        *OTHER_SECTIONS])
    data = cpr_docx.read(path).data
    child = data["child"]
    assert (child["first_names"], child["surname"], child["date_of_birth"]) == ("Ruby Mae", "Kowalski", "2023-09-03")
    assert child["legal_status"] == "interim_care_order"
    mother = data["birth_parents"][0]
    assert mother["parental_responsibility"] is True and mother["relationship_status"] == "single"
    assert "children home" in mother["wishes"]["wishes_and_feelings"] and "Report shared" not in mother["wishes"]["wishes_and_feelings"]
    assert mother["report_sharing"]["shared"] is True and mother["report_sharing"]["date"] == "2025-03-04"
    assert mother["support_referral_date"] == "2024-09-12"
    assert "others_with_parental_responsibility" not in data


def test_an_order_is_in_force_only_where_a_clause_says_it_was_made():
    assert parse.order_in_force("ICO made 12 January 2024; final hearing listed 7 April, when the council will ask for a placement order") == "interim_care_order"
    assert parse.order_in_force("A care order and placement order were made on 2 June 2025, and the court will review contact.") == "placement_order"
    assert parse.order_in_force("The council will apply for a placement order.") is None


def _run_in_document(tmp_path, paragraphs):
    """Paragraphs opened by a bold run-in heading: ("Health.", " Amara had ...") or plain text or a Heading 2 ("h", text)."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    for p in paragraphs:
        if isinstance(p, str):
            document.add_paragraph(p)
        elif p[0] == "h":
            document.add_heading(p[1], level=2)
        else:
            para = document.add_paragraph()
            para.add_run(p[0]).bold = True
            para.add_run(p[1])
    path = tmp_path / "run_in.docx"
    document.save(path)
    return path


def test_bold_run_in_headings_open_their_parts(tmp_path):
    """'Health. Amara had ...': a bold run-in heading naming a part is that part; one naming the
    other parent starts that parent; a fact's label ('Date of this report.') is the fact; accented
    names (Siobhán) are names; the child's name from 'Amara Chiamaka Okafor was born on ...'."""
    path = _run_in_document(tmp_path, [
        ("h", "Part one: About Amara"),
        ("Identity.", " Amara Chiamaka Okafor was born on 14 February 2016 at Northmere General Hospital."),
        ("Health.", " Amara had her last health assessment on 17 February 2025."),
        ("Amara's wishes and feelings.", " Amara has told me she wants to stay with Tobi."),
        ("h", "Part two: Amara's birth family"),
        ("Amara's mother: identity.", " Siobhán Mary Gallagher was born on 17 March 1988 in Castlebar."),
        ("Siobhán's health.", " Siobhán was diagnosed with depression in 2017."),
        ("Amara's father: identity.", " Emeka Okafor was born on 5 September 1984 in Enugu."),
        ("h", "Part six: Signatures"),
        ("Line manager.", " Dawn Fairley, Registered Manager. I have read and proofread this report. Signed: Dawn Fairley. Date: 12 May 2025."),
        ("Date of this report.", " 12 May 2025."),
        *[p for p in OTHER_SECTIONS if not isinstance(p, tuple) or p[1] not in ("Health", "Identity")]])
    data = cpr_docx.read(path).data
    assert (data["child"]["first_names"], data["child"]["surname"]) == ("Amara Chiamaka", "Okafor")
    assert "17 February 2025" in data["health"]["summary"]
    assert "stay with Tobi" in data["wishes_and_feelings"]["child"]["wishes_and_feelings"]
    assert [(p["relationship"], p.get("name")) for p in data["birth_parents"]] == [("mother", "Siobhán Mary Gallagher"), ("father", "Emeka Okafor")]
    assert "depression" in data["birth_parents"][0]["health"]
    assert data["manager"]["name"] == "Dawn Fairley" and data["manager"]["signed"] is True
    assert data["report"]["report_date"] == "2025-05-12"


def test_a_grandmother_under_the_siblings_heading_is_a_relative_not_a_sibling(tmp_path):
    path = _run_in_document(tmp_path, [
        ("h", "Brothers and sisters"), "Tobi Okafor (full brother). Tobi lives with Amara.",
        "Bríd Gallagher (maternal grandmother). Bríd was born on 9 June 1960 and lives in Mayo.",
        ("h", "Adoption support"), "In the short term, Amara will need well-paced introductions. In the longer term, help with her identity.",
        *OTHER_SECTIONS[:-2]])
    data = cpr_docx.read(path).data
    assert [s["name"] for s in data["siblings"]] == ["Tobi Okafor"]
    assert data["assessments"]["viability"][0]["name"] == "Bríd Gallagher"
    assert "introductions" in data["adoption_support"]["short_term"] and "identity" in data["adoption_support"]["long_term"]


def test_a_three_column_form_of_section_guidance_and_response(tmp_path):
    """'Section | What to include | Response': the guidance column is no part of the answer; a
    '(continued)' row of the same parent goes on to the part it names; under 'her wishes and
    feelings, sharing this report, support' each paragraph goes to its own part; 'Family time –
    plan for reduction' is the reduction, not the current family time."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    table = document.add_table(rows=0, cols=3)
    rows = [("Section", "What to include", "Response"),
            ("D1. Birth mother – identity", "Name, date of birth.", "Shahnaz Begum, born 12 November 1994."),
            ("D1. Birth mother (continued) – background and social history", "Childhood, school, work.",
             "Ms Begum grew up in Calderbrook, where her parents ran a shop. She left school at 16."),
            ("D3. Birth mother (continued) – her wishes and feelings, sharing this report, support", "Her views; has she seen this report?",
             "Ms Begum wants Zayan to come home.\nI went through this report with Ms Begum on 15 April 2025.\n"
             "On 4 March 2025 I referred Ms Begum to Family Link, an independent support service for birth parents."),
            ("E1. Family time now", "Who, how often.", "Ms Begum sees Zayan three times a week at the family centre."),
            ("E2. Family time – plan for reduction", "Stages.", "After the decision, family time will go to once a week, then once a month.")]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = ""
            for i, line in enumerate(text.split("\n")):
                (cell.paragraphs[0] if i == 0 else cell.add_paragraph()).add_run(line)
    for p in OTHER_SECTIONS:
        document.add_paragraph(p) if isinstance(p, str) else document.add_heading(p[1], level=p[2])
    path = tmp_path / "three.docx"
    document.save(path)
    data = cpr_docx.read(path).data
    text = str(data)
    assert "Name, date of birth" not in text and "What to include" not in text
    mother = data["birth_parents"][0]
    assert mother["name"] == "Shahnaz Begum" and "Calderbrook" in str(mother["history"])
    assert "come home" in mother["wishes"]["wishes_and_feelings"] and "went through" not in mother["wishes"]["wishes_and_feelings"]
    assert mother["report_sharing"]["shared"] is True and mother["support_referral_date"] == "2025-03-04"
    assert "once a month" in data["family_time"]["reduction_plan"] and "once a month" not in data["family_time"]["current_summary"]


def test_banner_tables_underlined_questions_and_a_verified_by_front_sheet(tmp_path):
    """One-cell shaded banners head their sections; underlined lines are sub-headings; 'Item |
    Details | Verified by' is facts (the third column is how each was checked); a report for two
    children gives the first child's facts; 'Version 2, ..., 14th July 2025' dates the report;
    bilingual labels ('Date of birth / Dyddiad geni') read by either wording."""
    document = docx.Document()
    document.add_heading("Child Permanence Report", level=0)
    document.add_table(rows=1, cols=1).cell(0, 0).text = "FRONT SHEET"
    front = document.add_table(rows=0, cols=3)
    for row in (("Item", "Details", "Verified by"), ("Children's names", "Lana Karimi-Booth; Aram Karimi-Booth", "Birth certificates"),
                ("Sex", "Lana: female. Aram: male", "Birth certificates"),
                ("Version", "Version 2, updated for matching panel, 14th July 2025", "Social worker")):
        cells = front.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    document.add_table(rows=1, cols=1).cell(0, 0).text = "SECTION 6: WISHES AND FEELINGS AND DIRECT WORK"
    document.add_paragraph().add_run("How has the social worker worked with the children about the plan?").underline = True
    document.add_paragraph("I have visited every three weeks since April 2025 and we play with a dolls' house about moving to a new family.")
    document.add_paragraph().add_run("The children's wishes and feelings").underline = True
    document.add_paragraph("Lana and Aram are too young to say what they want.")
    document.add_paragraph("Date of birth / Dyddiad geni: 03.05.2017")
    for p in OTHER_SECTIONS:
        document.add_paragraph(p) if isinstance(p, str) else document.add_heading(p[1], level=p[2])
    path = tmp_path / "banners.docx"
    document.save(path)
    data = cpr_docx.read(path).data
    child = data["child"]
    assert (child["first_names"], child["surname"], child["sex"]) == ("Lana", "Karimi-Booth", "female")
    assert "Verified" not in str(data) and "Birth certificates" not in str(data)
    assert data["report"]["report_date"] == "2025-07-14"
    wf = data["wishes_and_feelings"]["child"]
    assert "every three weeks" in wf["work_done"] and "too young" in wf["wishes_and_feelings"]
    assert parse.lead_in("Date of birth / Dyddiad geni: 03.05.2017") == ("Date of birth", "03.05.2017")


def test_a_system_export_with_capital_headings_soft_returns_and_tab_chronologies(tmp_path):
    """CAPITAL headings ending in a colon; a chronology typed as tab-separated lines (some held in
    one paragraph by soft returns); a signature block of soft-returned lines."""
    document = docx.Document()
    document.add_paragraph("CHILD'S PERMANENCE REPORT")
    document.add_paragraph("CHILD'S CHRONOLOGY:")
    document.add_paragraph("Date\tEvent\tSource")
    document.add_paragraph("09/03/2024\tIvy born at Castlebridge General Hospital.\tHospital discharge summary")
    para = document.add_paragraph()
    for i, line in enumerate(("12/03/2024\tIvy discharged to her foster carers.\tPlacement record",
                              "14/03/2024\tBirth registered by Chloe.\tBirth certificate")):
        if i:
            para.add_run().add_break()
        para.add_run(line)
    document.add_paragraph("SIGNATURES:")
    para = document.add_paragraph()
    for i, line in enumerate(("Social worker: Hannah Okafor", "Signed: H Okafor", "Date: 11/09/2024", "",
                              "Team manager: Gareth Pryce", "Signed: G Pryce", "Date: 12/09/2024")):
        if i:
            para.add_run().add_break()
        para.add_run(line)
    for p in OTHER_SECTIONS:
        document.add_paragraph(p) if isinstance(p, str) else document.add_heading(p[1], level=p[2])
    path = tmp_path / "export.docx"
    document.save(path)
    data = cpr_docx.read(path).data
    entries = data["chronologies"]["child"]
    assert [e["date"] for e in entries] == ["2024-03-09", "2024-03-12", "2024-03-14"]
    assert entries[0] == {"date": "2024-03-09", "event": "Ivy born at Castlebridge General Hospital.", "source": "Hospital discharge summary"}
    assert (data["author"]["name"], data["author"]["signed"], data["author"]["signed_date"]) == ("Hannah Okafor", True, "2024-09-11")
    assert (data["manager"]["name"], data["manager"]["signed"], data["manager"]["signed_date"]) == ("Gareth Pryce", True, "2024-09-12")
    assert parse.dated_line("12.03.2024 - Osian born at the district hospital - hospital records")["source"] == "hospital records"


def test_viability_assessments_told_as_sentences_about_the_relative(tmp_path):
    path = _document(tmp_path, [
        ("h", "Wider family and viability assessments", 2),
        "A viability assessment is a short first assessment of whether a relative could care for a child.",
        "A viability assessment of Ms Rehana Begum, maternal aunt, was completed on 10 October 2024 and was negative.",
        "The maternal grandparents' viability assessment (21 October 2024, kinship team) was negative. Mrs Hannan's health limits what she can manage.",
        *OTHER_SECTIONS])
    found = [(v["name"], v["relationship"], v.get("outcome")) for v in cpr_docx.read(path).data["assessments"]["viability"]]
    assert found == [("Rehana Begum", "maternal aunt", "negative"), ("Maternal grandparents", "maternal grandparents", "negative")]


def test_an_unanswered_signature_line_is_kept_not_taken_for_a_heading(tmp_path):
    path = _document(tmp_path, [("h", "Signatures", 2), "Signed (social worker) – Priya Shah – 14 March 2025",
                                "Signed (team manager) –", "Date –", *OTHER_SECTIONS])
    notes = cpr_docx.read(path).data["report"]["sign_off_notes"]
    assert "Signed (team manager) –" in notes and "Date –" in notes


def test_a_report_shared_heading_naming_a_parent_is_that_parents(tmp_path):
    path = _document(tmp_path, [
        "BIRTH MOTHER:", "Name: Chloe Anne Marchant", "BIRTH FATHER:", "Name: Nelson James Loveridge",
        "BIRTH MOTHER - REPORT SHARED:", "Date shared: 05/09/2024", "How shared: Chloe read the report with me at the Council offices.",
        "BIRTH FATHER - REPORT SHARED:", "Date shared: Not shared", *OTHER_SECTIONS])
    parents = {p["relationship"]: p for p in cpr_docx.read(path).data["birth_parents"]}
    assert parents["mother"]["report_sharing"]["shared"] is True and "Not shared" not in parents["mother"]["report_sharing"]["how"]
    assert parents["father"]["report_sharing"]["shared"] is False


def test_a_siblings_entry_typed_as_label_lines_keeps_where_they_live(tmp_path):
    path = _document(tmp_path, [("h", "Siblings", 2), "Levi Loveridge (paternal half-brother)",
                                "Lives with: Nelson and his partner (Levi's mother); no orders", *OTHER_SECTIONS])
    sibling = cpr_docx.read(path).data["siblings"][0]
    assert sibling["name"] == "Levi Loveridge" and sibling["lives_with"].startswith("Nelson and his partner")


def test_a_numbered_run_in_heading_with_a_colon_opens_its_section(tmp_path):
    path = _run_in_document(tmp_path, [
        ("h", "Part E: Assessment and plan"),
        ("E2 Expert assessments:", " Dr Helen Vaughan, a consultant clinical psychologist, found that Nia was dependent on alcohol."),
        ("E5 Adoption support:", " In the short term, Osian and his carers will need support through the legal process."),
        *[p for p in OTHER_SECTIONS if not isinstance(p, tuple) or p[1] != "Adoption support needs"]])
    data = cpr_docx.read(path).data
    assert "legal process" in data["adoption_support"]["short_term"]
    assert "legal process" not in str(data["assessments"])


def test_signed_values_an_earlier_versions_date_and_the_authors_signature_as_the_date(tmp_path):
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    document.add_heading("About this report", level=2)
    table = document.add_table(rows=0, cols=2)
    for row in (("Previous audit and what has changed", "Version 1 of this report was dated 17 January 2025. It was audited on 6 February 2025."),):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    document.add_heading("Signatures", level=2)
    table = document.add_table(rows=0, cols=2)
    for row in (("Social worker", "Signed: Amelia Thornton, Senior Social Worker. Date: 14 March 2025."),
                ("Team manager", "Signed: Daniel Okafor, Team Manager. Date: 14 March 2025.")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    for p in OTHER_SECTIONS:
        document.add_paragraph(p) if isinstance(p, str) else document.add_heading(p[1], level=p[2])
    path = tmp_path / "signed.docx"
    document.save(path)
    data = cpr_docx.read(path).data
    assert (data["author"]["name"], data["author"]["signed"], data["author"]["signed_date"]) == ("Amelia Thornton", True, "2025-03-14")
    assert (data["manager"]["name"], data["manager"]["signed"]) == ("Daniel Okafor", True)
    assert data["report"]["report_date"] == "2025-03-14"


def test_capital_run_in_labels_numbered_chronology_lines_and_a_line_of_signatures(tmp_path):
    path = _run_in_document(tmp_path, [
        ("HEALTH:", " Mia's last review health assessment was on 3 March 2025."),
        "MIA'S CHRONOLOGY:", "1. 21/11/2014 – Mia born at Eastmoor Royal Infirmary (maternity records)",
        "2. 03/08/2018 – Jayden born (birth record)",
        ("SIGNATURES:", " Signed: Rachel Gilmour, Senior Practitioner, 20/06/2025. Signed: Joanne Pryce, Registered Manager, 20/06/2025."),
        *[p for p in OTHER_SECTIONS if not isinstance(p, tuple) or p[1] != "Health"]])
    data = cpr_docx.read(path).data
    assert "3 March 2025" in data["health"]["summary"]
    assert [e["date"] for e in data["chronologies"]["child"]] == ["2014-11-21", "2018-08-03"]
    assert data["chronologies"]["child"][0]["source"] == "maternity records"
    assert (data["author"]["name"], data["author"]["signed_date"]) == ("Rachel Gilmour", "2025-06-20")
    assert (data["manager"]["name"], data["manager"]["signed"]) == ("Joanne Pryce", True)


def test_a_qa_table_row_naming_the_other_parent_starts_that_parent(tmp_path):
    """Among the birth mother's rows, 'Parental responsibility and relationship status' is her fact,
    but '19. Birth father' is the father's section, not a fact of hers (found by the invariance bench)."""
    document = docx.Document()
    document.add_heading("Child's Permanence Report", level=0)
    document.add_heading("Birth mother", level=2)
    table = document.add_table(rows=0, cols=2)
    for row in (("Full name", "Chloe Ann Ashdown"), ("Parental responsibility and relationship status", "Yes. She is single."),
                ("19. Birth father", "Liam Probert is Poppy's birth father. He was born on 4 May 1999 and works as a mechanic in Hull."),
                ("Full name", "Liam Probert")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    for p in OTHER_SECTIONS + [("h", "Recommendation", 2), "I recommend adoption.", ("h", "Current family time", 2), "Poppy sees Chloe weekly."]:
        document.add_paragraph(p) if isinstance(p, str) else document.add_heading(p[1], level=p[2])
    path = tmp_path / "qa.docx"
    document.save(path)
    parents = cpr_docx.read(path).data["birth_parents"]
    assert [(p["relationship"], p.get("name")) for p in parents] == [("mother", "Chloe Ann Ashdown"), ("father", "Liam Probert")]


def test_capital_labels_for_the_childs_name_and_a_siblings_entry(tmp_path):
    path = _run_in_document(tmp_path, [
        ("REPORT PREPARED BY:", " Rachel Gilmour, Senior Practitioner, Hollybrook Family Placement."),
        ("CHILD'S FULL NAME:", " Mia Kaur Dhillon. Kaur is the name given to Sikh girls and women."),
        ("SIBLINGS:", " Mia has two younger half-brothers, Jayden and Harley."),
        ("JAYDEN:", " Jayden was born on 03/08/2018 and is aged 6. He lives with his paternal grandmother."),
        *OTHER_SECTIONS])
    data = cpr_docx.read(path).data
    assert data["child"]["first_names"].startswith("Mia")
    assert [(s["name"], s["date_of_birth"]) for s in data["siblings"]] == [("Jayden", "2018-08-03")]
