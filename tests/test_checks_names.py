"""permanence/checks/names.py: who is the same person (names_match), used by G5, G6 and S2."""
from __future__ import annotations

from permanence.checks.names import names_match


def test_a_name_someone_is_known_by_in_brackets_is_theirs():
    assert names_match("Tobenna (Tobi) Okafor", "Tobi")
    assert names_match("Tobi", "Tobenna (Tobi) Okafor")
    assert names_match("Tobenna (Tobi) Okafor", "Tobenna Okafor")
    assert names_match('Kezia "Kezi" Daniels', "Kezi Daniels")
    assert not names_match("Tobenna (Tobi) Okafor", "Tobi Smith")
    assert not names_match("Tobenna (Tobi) Okafor", "Amara Okafor")
