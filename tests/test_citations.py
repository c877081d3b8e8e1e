"""citations.cite: the procedure by its own title, never our file shorthand."""
import pytest

from permanence.citations import cite, procedure_title, procedures


@pytest.mark.parametrize("source, expected", [
    ("seed 003 s.8.1", "Warrington, Securing Permanence (2019, reviewed 2023) s.8.1"),
    ("seed 001 'Referral Process for Panel'",
     "West Sussex, Permanence Panel Protocol (2020) 'Referral Process for Panel'"),
    ("seed 004 s.5; seed 000 'Care Planning Meetings'",
     "Adoption South East, Permanency Planning Practice Guidance s.5; "
     "Walsall, Care Planning and Permanence Procedures 'Care Planning Meetings'"),
    ("seed 003 (Warrington: Securing Permanence, 2019, reviewed 2023, with appendices 1-11)",
     "Warrington, Securing Permanence (2019, reviewed 2023)"),
    ("seed 003 s.8.5 (chaired by the team manager)",
     "Warrington, Securing Permanence (2019, reviewed 2023) s.8.5 (chaired by the team manager)"),
    ("Children Act 1989 s.25A", "Children Act 1989 s.25A"),
    ("", ""),
    (None, ""),
])
def test_cite_names_the_procedure(source, expected):
    assert cite(source) == expected


def test_every_procedure_has_an_authority_and_title():
    for number, entry in procedures().items():
        assert entry["authority"] and entry["title"], number
        assert "seed" not in procedure_title(number)
