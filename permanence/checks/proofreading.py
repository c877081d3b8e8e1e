"""Proofreading (G4): spelling and grammar in British English.

Engines, in order of preference:
- LanguageTool through language-tool-python, only when configured: a self-hosted server
  (configuration `[languagetool] server`, env PERMANENCE_LT_SERVER) or a local LanguageTool
  directory (`jar_dir`, env LTP_JAR_DIR_PATH). The public API at languagetool.org is used
  only when `public_api = true` (env PERMANENCE_LT_PUBLIC_API=1): the text is confidential.
- hunspell with Debian's en-GB dictionary (/usr/share/hunspell/en_GB.dic), run as a
  subprocess in batch mode with the text on stdin (never in argv, never logged), plus the
  domain word list and the names in the report; and a repeated-word check for grammar.
- none: language checks only (word lists), when neither is available.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

log = logging.getLogger(__name__)

HUNSPELL_DICT = "en_GB"
# Clinical words (orthoptist, audiologist, café-au-lait) that en_GB lacks: Debian's
# hunspell-en-med, the OpenMedSpel dictionary of e-MedTools, used beside en_GB when installed.
MEDICAL_DICT = "en_med_glut"
DICT_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/local/share/hunspell")


# Real words hunspell's en_GB (SCOWL size 60) lacks: children's interests and play words
# (ankylosaurus, trampolining), rarer everyday words. Debian's wbritish-huge, the British
# English SCOWL word list of size 70, read once when installed.
WORD_LIST = "/usr/share/dict/british-english-huge"


@functools.lru_cache(maxsize=1)
def larger_word_list() -> frozenset:
    """The words of WORD_LIST, as written and in lower case (empty when it is not installed)."""
    try:
        with open(WORD_LIST, encoding="utf-8", errors="replace") as fh:
            words = {line.strip() for line in fh if line.strip() and not line.endswith("'s\n")}
    except OSError:
        return frozenset()
    return frozenset(words | {w.lower() for w in words})


def dictionaries(base: str = HUNSPELL_DICT) -> str:
    """hunspell's -d argument: the base dictionary, and the medical one beside it when installed."""
    medical = any(os.path.exists(os.path.join(d, MEDICAL_DICT + ".dic")) for d in DICT_DIRS)
    return f"{base},{MEDICAL_DICT}" if medical and base == HUNSPELL_DICT else base
_REPEAT_RE = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.I)
_ALLOWED_REPEATS = {"had", "that", "is"}


@dataclass
class Problem:
    path: tuple
    start: int
    end: int
    kind: str  # spelling or grammar
    message: str
    suggestions: tuple = ()  # the engine's suggested corrections, best first


class Engine:
    name = "none"
    note = ""

    def check(self, fields, known_words: set[str]) -> list[Problem]:
        return []

    def close(self) -> None:
        pass


def _repeated_words(fields) -> list[Problem]:
    out = []
    for f in fields:
        for m in _REPEAT_RE.finditer(f.text):
            if m.group(1).lower() in _ALLOWED_REPEATS:
                continue
            out.append(Problem(f.path, m.start(), m.end(), "grammar", f"'{m.group(1)}' is repeated."))
    return out


_TOKEN_RE = re.compile(r"(?<![\w'’])[^\W\d_](?:[^\W\d_]|['’](?=[^\W\d_]))*[^\W\d_](?![\w])")


def _skip_token(word: str) -> bool:
    return word.isupper() or any(c.isdigit() for c in word) or len(word) < 2 or len(word) > 40  # no English word is longer


def written_solid(word: str, suggestions) -> bool:
    """Whether hunspell suggests the same letters split by a space or a hyphen ('play dough'
    for 'playdough'): a compound the dictionary knows only spaced or hyphenated."""
    letters = word.lower()
    return any((" " in s or "-" in s) and re.sub(r"[ -]", "", s.lower()) == letters for s in suggestions)


class HunspellEngine(Engine):
    name = "hunspell en-GB"
    note = "Spelling by hunspell (en-GB dictionary, with the medical dictionary where installed) plus the domain word list and the names in the report; grammar limited to repeated words. Configure a LanguageTool server or directory for grammar."

    def __init__(self, binary: str | None = None, dictionary: str = HUNSPELL_DICT):
        self.binary = binary or shutil.which("hunspell")
        self.dictionary = dictionaries(dictionary)
        if not self.binary:
            raise RuntimeError("hunspell is not installed")

    def _unknown_words(self, words: list[str]) -> set[str]:
        if not words:
            return set()
        text = "\n".join(words) + "\n"
        try:
            proc = subprocess.run([self.binary, "-d", self.dictionary, "-i", "UTF-8", "-l"], input=text.encode("utf-8"),
                                  capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"hunspell could not run ({type(exc).__name__})") from None
        if proc.returncode != 0:
            raise RuntimeError(f"hunspell stopped with exit status {proc.returncode} (is the {self.dictionary} dictionary installed?)")
        return set(proc.stdout.decode("utf-8", "replace").split())

    def suggestions(self, words: list[str]) -> dict[str, tuple]:
        """hunspell's suggestions for words it does not know ('-a' pipe mode, one word a line,
        each line opened with '^' so no word is read as a command). {} when hunspell fails:
        suggestions are a help, never a reason for the audit to stop."""
        if not words:
            return {}
        text = "".join(f"^{w}\n" for w in words)
        try:
            proc = subprocess.run([self.binary, "-d", self.dictionary, "-i", "UTF-8", "-a"], input=text.encode("utf-8"),
                                  capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        out = {}
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("& ") and ": " in line:
                head, _, tail = line.partition(": ")
                word = head.split()[1]
                out[word] = tuple(x.strip() for x in tail.split(",") if x.strip())[:5]
        return out

    def check(self, fields, known_words: set[str]) -> list[Problem]:
        known_lower = {w.lower() for w in known_words}
        occurrences: dict[str, list] = {}
        for f in fields:
            for m in _TOKEN_RE.finditer(f.text):
                word = m.group(0).replace("’", "'")
                if _skip_token(word) or word in known_words or word.lower() in known_lower:
                    continue
                if word.endswith("'s") and (word[:-2] in known_words or word[:-2].lower() in known_lower):
                    continue
                occurrences.setdefault(word, []).append((f, m))
        unknown = self._unknown_words(sorted(occurrences))
        real = larger_word_list()
        unknown = {w for w in unknown if w not in real and w.lower() not in real}
        # hunspell's suggestions, asked once: a word it offers back split or hyphenated is a
        # compound written solid ('playdough', 'wellbeing'), not a misspelling.
        hints = self.suggestions(sorted(unknown))
        unknown = {w for w in unknown if not written_solid(w, hints.get(w, ()))}
        problems, words = [], []
        from permanence.checks.text import in_quotes, is_sentence_start

        # A capitalised word in mid-sentence is taken as a proper noun (a place, an organisation,
        # a carer's first name), here and wherever else it stands, at the start of a sentence too;
        # names of people in the name fields are the name check's business (G7).
        proper = {w for w in unknown if w[0].isupper() and any(not is_sentence_start(f.text, m.start()) for f, m in occurrences.get(w, []))}
        # a capitalised word before a surname the report's names have ("Tobenna Okafor, called Tobi") is a first name
        proper |= {w for w in unknown if w[0].isupper() and any(
            (after := re.match(r"\s+(?:\([^()]{1,20}\)\s+)?([A-Z][\w'’-]+)", f.text[m.end():m.end() + 40])) and after.group(1) in known_words
            for f, m in occurrences.get(w, []))}
        bases = {w[:-2] for w in unknown if w.endswith("'s") and w[:1].isupper()}
        named = {b for b in bases if any(re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(b)}\b(?!['’]s)", f.text) for f in fields)}
        proper |= {w for w in unknown if w.endswith("'s") and (w[:-2] in proper or w[:-2] in named)}  # "Nain's" beside "Nain"
        explained = {w for w in unknown if any(glossed(f.text, m.start(), m.end()) for f, m in occurrences.get(w, []))}
        for word in sorted(unknown):
            if word in proper or word in explained:
                continue  # a name, or a word of another language the report explains ("cawl (a Welsh lamb stew)")
            for f, m in occurrences.get(word, []):
                if word[0].isupper() and not is_sentence_start(f.text, m.start()):
                    continue
                if in_quotes(f.text, m.start()):
                    continue  # a person's own words, quoted as said ('"my little dino"', a baby's "Ja-ja")
                problems.append(Problem(f.path, m.start(), m.end(), "spelling", f"'{m.group(0)}' is not in the en-GB dictionary."))
                words.append(word)
        for problem, word in zip(problems, words):
            problem.suggestions = hints.get(word, ())
        return problems + _repeated_words(fields)


# A word explained where it stands: "cawl (a Welsh lamb stew)", "bara brith, the Welsh fruit
# loaf", "a cwtch (a cuddle)", "what she calls 'Nain'", "Welsh for bread".
_GLOSS_AFTER = re.compile(r"^(?:\s+[a-z][\w'’-]*)?(?:\s*\((?:a|an|the|which|meaning|Welsh|Gaelic|Irish|Scots|Urdu|Punjabi|Polish|"
                          r"Romanian|Arabic|Yoruba|Twi|[a-z]+ for)\b|,\s+(?:a|an|the)\s+(?:[A-Z][a-z]+\s+)?[a-z]+|['’\"”]?,?\s+[A-Z][a-z]+ for\b)")
_GLOSS_BEFORE = re.compile(r"(?:\bcall(?:s|ed)?|\bknown as|\bthe word|\bwhich means|\bmeaning|\bWelsh for|\b[A-Z][a-z]+ for)\s*['\"“‘]?$")


def glossed(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is explained where it stands."""
    return bool(_GLOSS_AFTER.match(text[end:end + 80]) or _GLOSS_BEFORE.search(text[max(0, start - 30):start]))


LT_NOTES = {"server": "Spelling and grammar by the configured LanguageTool server.",
            "local": "Spelling and grammar by the local LanguageTool.",
            "public": "The text was sent to languagetool.org because the public API was switched on in configuration."}
NO_ENGINE_NOTE = "Language checks only (word lists); no spelling engine ran."


def standard_notes() -> tuple[str, ...]:
    """The notes that only say which engine ran; anything else in a note is news for the reader."""
    return (HunspellEngine.note, NO_ENGINE_NOTE, *LT_NOTES.values())


class LanguageToolEngine(Engine):
    def __init__(self, *, server: str | None = None, jar_dir: str | None = None, public_api: bool = False):
        import language_tool_python as ltp

        if server:
            self.tool = ltp.LanguageTool("en-GB", remote_server=server)
            self.name, self.note = "LanguageTool (server)", LT_NOTES["server"]
        elif jar_dir:
            if not os.path.isdir(jar_dir):
                raise RuntimeError("the configured LanguageTool directory does not exist")
            os.environ["LTP_JAR_DIR_PATH"] = jar_dir  # language-tool-python reads it; no download happens
            self.tool = ltp.LanguageTool("en-GB")
            self.name, self.note = "LanguageTool (local)", LT_NOTES["local"]
        elif public_api:
            self.tool = ltp.LanguageToolPublicAPI("en-GB")
            self.name, self.note = "LanguageTool (public API)", LT_NOTES["public"]
        else:  # pragma: no cover - guarded by make_engine
            raise RuntimeError("no LanguageTool configured")

    def check(self, fields, known_words: set[str]) -> list[Problem]:
        known_lower = {w.lower() for w in known_words}
        problems = []
        for f in fields:
            for match in self.tool.check(f.text):
                start, end = match.offset, match.offset + match.error_length
                word = f.text[start:end]
                spelling = getattr(match, "rule_issue_type", "") == "misspelling" or "MORFOLOGIK" in getattr(match, "rule_id", "")
                if spelling and (word in known_words or word.lower() in known_lower or _skip_token(word)):
                    continue
                problems.append(Problem(f.path, start, end, "spelling" if spelling else "grammar", match.message))
        return problems

    def close(self) -> None:
        try:
            self.tool.close()
        except Exception:  # noqa: BLE001
            pass


def make_engine(config=None, *, prefer: str | None = None) -> tuple[Engine, str]:
    """The proofreading engine to use and a note on why. prefer: 'hunspell' or 'none' to force."""
    from permanence.config import load_config

    cfg = config or load_config()
    notes = []
    if prefer not in ("hunspell", "none") and (cfg.lt_server or cfg.lt_jar_dir or cfg.lt_public_api):
        try:
            return LanguageToolEngine(server=cfg.lt_server, jar_dir=cfg.lt_jar_dir, public_api=cfg.lt_public_api), ""
        except Exception as exc:  # noqa: BLE001 - fall back, and say so (in the report, not as a log line)
            log.info("LanguageTool could not start (%s); falling back to hunspell", type(exc).__name__)
            where = ("the LanguageTool server in the configuration could not be reached" if cfg.lt_server
                     else "the LanguageTool folder in the configuration could not be used" if cfg.lt_jar_dir
                     else "LanguageTool's public service could not be reached")
            notes.append(f"LanguageTool is configured but could not start ({where}), so spelling was checked with hunspell "
                         "instead and grammar only for repeated words. Check the [languagetool] settings in the configuration"
                         + (", or ask whoever runs the server." if cfg.lt_server else "."))
    if prefer != "none":
        try:
            return HunspellEngine(), " ".join(notes)
        except RuntimeError as exc:
            notes.append(f"No spelling check: {exc}.")
    return Engine(), " ".join(notes + [NO_ENGINE_NOTE])
