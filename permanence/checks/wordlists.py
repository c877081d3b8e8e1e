"""Word lists for the narrative checks: data files a local authority can extend.

The lists ship in permanence/checks/wordlists/. An authority adds its own by putting
files with the same names in a folder of its own and naming that folder in
configuration, either

    [audit]
    wordlists = ["/srv/permanence/wordlists"]      # in permanence.toml

or the environment variable PERMANENCE_WORDLISTS (folders separated by ':' on Linux and
macOS, ';' on Windows). Entries in those files are added to the shipped ones; a line
'!term' removes a shipped entry. Formats:

- *.txt: one entry a line; '#' starts a comment; 'term | note' gives a term its note
  (a better wording, or what the term means).
- acronyms.txt: 'ACRONYM | expansion', or 'ACRONYM | expansion | everyday' for one nearly every
  adult knows (GP): spelling it out is then suggested but does not count against G11.
- services.txt: 'Service name | what it does'.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from permanence.findings import UserError

LIST_NAMES = ("generalisations", "judgemental", "acronyms", "jargon", "services", "unverified", "domain_words",
              "specifics", "relations", "not_names")


def _parse(text: str, into: dict[str, str], source: str) -> None:
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("!"):
            key = line[1:].split("|", 1)[0].strip()
            into.pop(key, None)
            continue
        term, _, note = line.partition("|")
        term = term.strip()
        if term:
            into[term] = note.strip()


def extra_folders() -> list[Path]:
    """Folders named in configuration ([audit] wordlists) and PERMANENCE_WORDLISTS."""
    folders: list[Path] = []
    from permanence.config import load_config

    cfg = load_config()
    if cfg.path:
        try:
            data = tomllib.loads(Path(cfg.path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = {}  # load_config has already reported a bad file
        extra = data.get("audit", {}).get("wordlists", []) if isinstance(data.get("audit"), dict) else []
        if isinstance(extra, str):
            extra = [extra]
        if not isinstance(extra, list):
            raise UserError(f"{cfg.path}: [audit] wordlists must be a list of folders, for example wordlists = [\"/srv/permanence/wordlists\"].")
        base = Path(cfg.path).parent
        folders += [(base / p) for p in extra if isinstance(p, str)]
    env = os.environ.get("PERMANENCE_WORDLISTS")
    if env:
        folders += [Path(p) for p in env.split(os.pathsep) if p]
    for folder in folders:
        if not folder.is_dir():
            raise UserError(f"{folder}: the word-list folder named in configuration does not exist. Create it or remove it from the configuration.")
    return folders


@dataclass
class WordLists:
    lists: dict[str, dict[str, str]] = field(default_factory=dict)
    _patterns: dict = field(default_factory=dict)

    def terms(self, name: str) -> dict[str, str]:
        return self.lists.get(name, {})

    def pattern(self, name: str, *, case_sensitive: bool = False) -> re.Pattern | None:
        """One regular expression matching any term of a list as whole words."""
        key = (name, case_sensitive)
        if key not in self._patterns:
            terms = sorted(self.terms(name), key=len, reverse=True)
            if not terms:
                self._patterns[key] = None
            else:
                alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+").replace("'", "['’]") for t in terms)
                self._patterns[key] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", 0 if case_sensitive else re.I)
        return self._patterns[key]

    def note(self, name: str, found: str) -> str:
        terms = self.terms(name)
        if found in terms:
            return terms[found]
        low = re.sub(r"\s+", " ", found.lower().replace("’", "'"))
        for term, note in terms.items():
            if term.lower() == low:
                return note
        return ""


def load_wordlists(folders: list[Path] | None = None) -> WordLists:
    """The shipped lists, extended by the authority's folders (configuration when None)."""
    lists: dict[str, dict[str, str]] = {name: {} for name in LIST_NAMES}
    package = resources.files("permanence.checks").joinpath("wordlists")
    for name in LIST_NAMES:
        res = package.joinpath(f"{name}.txt")
        if res.is_file():
            _parse(res.read_text("utf-8"), lists[name], f"{name}.txt")
    for folder in (extra_folders() if folders is None else folders):
        for name in LIST_NAMES:
            path = Path(folder) / f"{name}.txt"
            if path.is_file():
                try:
                    _parse(path.read_text("utf-8"), lists[name], str(path))
                except (OSError, UnicodeDecodeError) as exc:
                    raise UserError(f"{path}: cannot read the word list ({exc}). Save it as UTF-8 text.") from None
    return WordLists(lists)
