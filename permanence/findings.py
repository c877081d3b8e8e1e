"""Findings: what rules and checks return. One place computes the exit code."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_COULD_NOT_RUN = 2


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) in a record.

    pointer is a JSON pointer into the record ("" for the whole record); label is the
    field's own title from the schema, so a social worker recognises it.
    """

    rule_id: str
    severity: Severity
    pointer: str
    label: str
    message: str
    source: str = ""
    excerpt: str | None = None
    span: tuple[int, int] | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["span"] = list(self.span) if self.span else None
        return data


@dataclass
class FileReport:
    """The findings for one file, or the reason it could not be read."""

    path: str
    form: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # set when the file could not be checked at all
    child: str | None = None  # "C1001 Ava Thompson": the child the record is about, for per-child reports

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def exit_code(reports: list[FileReport]) -> int:
    """0 when no errors, 1 when any finding is an error, 2 when a file could not be checked."""
    if any(r.error for r in reports):
        return EXIT_COULD_NOT_RUN
    if any(r.errors for r in reports):
        return EXIT_FINDINGS
    return EXIT_CLEAN


class UserError(Exception):
    """A problem the user can fix (bad file, unknown form, bad option): one plain sentence."""


_UNPRINTABLE = None


def one_line(text: str) -> str:
    """A message as one printable line: a newline or other control character (in a file
    name, say) is written as an escape such as \\n, and so is anything that is not a
    character (a lone surrogate, as Linux gives for a file name in another encoding), so
    the message never splits and printing it never fails."""
    global _UNPRINTABLE
    if _UNPRINTABLE is None:
        import re

        _UNPRINTABLE = re.compile("[\x00-\x1f\x7f\x80-\x9f\u2028\u2029\ud800-\udfff]")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii")
                            if not "\ud800" <= m.group() <= "\udfff" else f"\\u{ord(m.group()):04x}", text)


def printable_json(text: str) -> str:
    """JSON text (from json.dumps(..., ensure_ascii=False)) that can always be printed: a
    lone surrogate (a file name in another encoding) becomes its \\u escape, still valid JSON."""
    import re

    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
