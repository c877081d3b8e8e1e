"""The `permanence` command. Imports stay lazy so `permanence --help` starts fast."""
from __future__ import annotations

import datetime as dt
import logging
import os
import sys

import click

EPILOG = "Exit codes: 0 clean, 1 findings (errors), 2 could not run."


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' is not a date. Write it as YYYY-MM-DD, for example 2026-03-14.", param, ctx)
        if not 1900 <= day.year <= 2199:  # timescales run years ahead: near 9999 they overflow
            self.fail(f"'{value}' is too far from today; give a date between 1900 and 2199.", param, ctx)
        return day


DATE = DateType()


def _default_profile() -> str:
    from permanence.config import load_config

    return load_config().profile


def profile_option(f):
    return click.option("--profile", "profile", metavar="NAME", default=None,
                        help="Local authority profile (default: from configuration, else 'england'). See 'permanence profiles'.")(f)


def as_of_option(f):
    return click.option("--as-of", "as_of", type=DATE, default=None,
                        help="Treat this date (YYYY-MM-DD) as today for timescale rules.")(f)


def _more_verbose(ctx, param, value):
    """-v given after the subcommand ('permanence validate -v ...') counts as given before it."""
    if value:
        root = ctx.find_root()
        root.ensure_object(dict)
        root.obj["verbose"] = root.obj.get("verbose", 0) + value
        level = logging.WARNING if root.obj["verbose"] < 2 else logging.INFO
        logging.getLogger().setLevel(level)
    return value


def verbose_option(f):
    return click.option("-v", "--verbose", "sub_verbose", count=True, expose_value=False, callback=_more_verbose,
                        help="More detail (each finding's rule and source; -vv logs progress, never case content). "
                             "May also be given before the command.")(f)
class JobsType(click.ParamType):
    name = "N"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            jobs = int(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' is not a number of processes; give a whole number such as 2, or 0 for every core.", param, ctx)
        if not 0 <= jobs <= 256:
            self.fail(f"'{value}' processes: give a number from 1 to 256, or 0 for every core.", param, ctx)
        return jobs


def jobs_option(f):
    return click.option("-j", "--jobs", "jobs", type=JobsType(), default=0, show_default=False,
                        help="Work on N files at a time, one process each (default: every core of this machine; "
                             "--jobs 1 works in this process alone). The output is the same, in the same order.")(f)


def fail(message: str) -> None:
    """A problem the user can fix: one line on stderr, exit 2."""
    from permanence.findings import one_line

    click.echo(one_line(f"permanence: {message}"), err=True)
    sys.exit(2)


class Group(click.Group):
    """Turns any escaped exception into one line and exit 2, never a traceback."""

    def invoke(self, ctx):
        from permanence.findings import UserError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            fail(str(exc))
        except click.UsageError as exc:  # a bad option or argument of a command: one line, exit 2
            where = exc.ctx.command_path if exc.ctx is not None else "permanence"
            fail(f"{exc.format_message()} See '{where} --help'.")
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("stopped.")
        except OSError as exc:
            # The file system refused a path the user gave (a name too long, a loop of
            # links, permission): the path and the reason, not an internal error. An
            # OSError without a file name is not the user's to fix and falls through.
            if exc.filename is None:
                raise_internal(exc)
            fail(f"{exc.filename}: {exc.strerror or type(exc).__name__} (the file system refused it). "
                 "Check the path and permissions and try again.")
        except Exception as exc:  # noqa: BLE001 - last line of defence
            raise_internal(exc)


def raise_internal(exc: Exception) -> None:
    if os.environ.get("PERMANENCE_DEBUG"):
        raise exc
    logging.getLogger("permanence").debug("internal error", exc_info=exc)
    fail(f"internal error ({type(exc).__name__}); nothing was written. Run again with PERMANENCE_DEBUG=1 and report it.")


@click.group(cls=Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="permanence", message="permanence %(version)s")
@click.option("-v", "--verbose", count=True, help="More detail (sources of rules; -vv logs progress, never case content).")
@click.pass_context
def main(ctx, verbose):
    """Check, audit, render and track the paperwork of permanence planning.

    For social workers (validate a draft), adoption and panel advisers (audit a
    Child's Permanence Report) and business support (build the tracker workbook).
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    level = logging.WARNING if verbose < 2 else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@main.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@profile_option
@as_of_option
@verbose_option
@jobs_option
@click.pass_context
def validate(ctx, paths, fmt, profile, as_of, jobs):
    """Check draft records before they are submitted.

    PATHS are files (.json, .yaml, .docx) or folders, searched recursively. The form is
    read from each record's "form" field. Example:

      permanence validate --profile warrington examples/
    """
    from permanence.validate_command import run_validate

    code = run_validate(list(paths), fmt=fmt, profile=profile or _default_profile(),
                        as_of=as_of or dt.date.today(), verbose=ctx.obj["verbose"], jobs=jobs)
    sys.exit(code)


@main.command(epilog=EPILOG)
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def profiles(name, fmt):
    """List the local authority profiles and their timescales.

    With NAME, show that profile in full. Example: permanence profiles warrington
    """
    from permanence.profiles_command import run_profiles

    click.echo(run_profiles(name, fmt))


@main.command(epilog=EPILOG)
@click.option("--form", "form", default=None, help="Only the rules for this form.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(form, fmt):
    """List every business rule with its id, severity and source."""
    from permanence.profiles_command import run_rules

    click.echo(run_rules(form, fmt))


@main.command(epilog=EPILOG)
@click.argument("caseload", type=click.Path(), required=False)
@click.option("-o", "--output", "output", type=click.Path(), default=None, help="The tracker workbook to write (.xlsx). An existing tracker is updated, keeping what the meeting typed.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"]), default="xlsx", show_default=True, help="json prints the computed rows.")
@profile_option
@as_of_option
@click.option("--amber-days", "amber_days", type=int, default=None, help="Working days ahead a due date turns amber (default: the profile's tracker.amber_working_days).")
@click.option("--no-backup", "no_backup", is_flag=True, help="Do not keep the old tracker as NAME.previous.xlsx.")
@click.option("--ssda903", "ssda903", type=click.Path(), multiple=True,
              help="The SSDA903 return (its CSV files, their folder, or the XML), read as 'permanence import ssda903' reads it. Repeat for several files.")
@jobs_option
def tracker(caseload, output, fmt, profile, as_of, amber_days, no_backup, ssda903, jobs):
    """Build the tracker workbook for the monthly tracking meetings.

    CASELOAD is the folder of case records (and PPM records); with --ssda903 the
    return's children are added (a case record in CASELOAD gives their names, plans
    and notes), or the return alone builds the tracker. Examples:

      permanence tracker examples/caseload --profile warrington -o tracker.xlsx
      permanence tracker --ssda903 extract/ -o tracker.xlsx
    """
    from permanence.tracker.command import run_tracker

    sys.exit(run_tracker(caseload, output, fmt, profile or _default_profile(), as_of or dt.date.today(),
                         amber_days, backup=not no_backup, ssda903=list(ssda903) or None, jobs=jobs))


@main.group("import", cls=Group, epilog=EPILOG)
def import_group():
    """Start or update case records from data the authority already has."""


@import_group.command("ssda903", epilog=EPILOG)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "output", type=click.Path(), required=True,
              help="The caseload folder: one folder per child with case.json. Records there are updated, keeping what people wrote.")
@click.option("--report", "report", type=click.Path(), default=None, help="Write every data-quality finding to this workbook (.xlsx).")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Treat this date (YYYY-MM-DD) as today: a date in the return after it is in the future.")
def import_ssda903(paths, output, report, as_of):
    """Read the SSDA903 children looked after return into case records.

    PATHS are the return's CSV files (each table recognised by its column headers:
    Header, Episodes, Reviews, PlacedAdoption, AD1, PrevPerm, UASC, Missing...), a folder
    of them, or the XML return. Each child gets a case record (IDs kept) with the dates
    and statuses the return holds; names, plans and notes people wrote are never
    overwritten. Dates the return holds that are wrong become data-quality findings.

      permanence import ssda903 extract/*.csv -o caseload --report dq.xlsx
    """
    from permanence.ssda903.command import run_import

    sys.exit(run_import(paths, output, as_of or dt.date.today(), report))


@main.command(epilog=EPILOG)
@click.argument("records", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="The Word document to write for one record, or the folder for several (default: next to each record).")
@click.option("--draft", is_flag=True, help="Render even if the record has errors; the document is marked DRAFT.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@profile_option
@as_of_option
@verbose_option
@jobs_option
@click.pass_context
def render(ctx, records, output, draft, force, profile, as_of, jobs):
    """Render records as Word documents (.docx), one per record.

    RECORDS are files (.json, .yaml, .docx) or folders. Each record is validated first
    and refused if it has errors, unless --draft. Examples:

    \b
      permanence render examples/caseload/C1001-ava-thompson/ppm-2026-11-11.json -o ppm.docx
      permanence render examples/caseload -o rendered
    """
    from permanence.templates.commands import run_render

    sys.exit(run_render(list(records), output, draft=draft, force=force, profile=profile or _default_profile(),
                        as_of=as_of or dt.date.today(), verbose=ctx.obj["verbose"], jobs=jobs))


@main.command(epilog=EPILOG)
@click.argument("form")
@click.option("-o", "--output", "output", type=click.Path(), default=None, help="The Word document to write (default: FORM-blank.docx).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@profile_option
def blank(form, output, force, profile):
    """Write a blank Word form to fill in Word or LibreOffice.

    FORM is ppm-record, panel-referral, gateway-referral, cpr or cpr-audit. Every field
    is a content control describing what it needs. Example:

    \b
      permanence blank cpr -o cpr.docx
    """
    from permanence.templates.commands import run_blank

    sys.exit(run_blank(form, output, force=force, profile=profile or _default_profile()))


@main.command(epilog=EPILOG)
@click.argument("document", type=click.Path())
@click.option("-o", "--output", "output", type=click.Path(), default=None, help="Write the JSON to this file instead of printing it.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def extract(document, output, force):
    """Read a filled Word form (.docx) back into a record, printed as JSON.

    What is on the page is what you get: edits made in Word, rows added or removed.
    Example:

    \b
      permanence extract ppm.docx -o ppm.json
    """
    from permanence.templates.commands import run_extract

    sys.exit(run_extract(document, output, force=force))


@main.command(epilog="Exit codes: 0 adequate, 1 requires improvement, 2 could not run.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: report by area; json: the cpr-audit record (a list for several reports).")
@click.option("--output", "output", type=click.Path(), default=None, help="Write the audit to a Word form (.docx) or a JSON record (.json).")
@click.option("--previous", "previous", type=click.Path(), default=None, help="This child's earlier audit (JSON or Word): mark each item and finding resolved, partly resolved, still open or new.")
@click.option("--engine", "engine", type=click.Choice(["auto", "hunspell", "none"]), default="auto", show_default=True,
              help="Proofreading: auto (LanguageTool if configured, else hunspell), hunspell, or none (language checks only).")
@click.option("--annotate", "annotate", type=click.Path(), default=None, metavar="OUT.docx",
              help="Write a copy of the Word report with each No or Partial finding as a Word comment on its words (author: --auditor). The report itself is not changed.")
@click.option("--force", is_flag=True, help="Replace an existing --output or --annotate file.")
@click.option("--auditor", "auditor", metavar="NAME", default=None, help="Who completed the audit (for the form's header and the comments of --annotate).")
@click.option("--auditor-title", "auditor_title", metavar="TITLE", default=None, help="The auditor's job title.")
@profile_option
@as_of_option
@verbose_option
@jobs_option
@click.pass_context
def audit(ctx, paths, fmt, output, previous, engine, annotate, force, auditor, auditor_title, profile, as_of, jobs):
    """Audit Child's Permanence Reports against the quality-assurance checklist.

    PATHS are CPR files (.json, .yaml, .docx) or folders searched for CPRs. Every
    checklist item (G1-G13, C1-C5, H1, W1-W6, S1-S2, F1-F4, R1, A1-A2, X1) is answered
    Yes, No, Partial, Review or N/A, with comments, actions and evidence. Example:

      permanence audit cpr.json --previous audit-before-shobpa.json --output audit.docx

    A .docx report may be one of our forms or a CPR in any Word template (read by its
    headings); --annotate returns it with the findings as comments:

      permanence audit report.docx --annotate reviewed.docx --auditor "Sam Adviser"
    """
    from permanence.audit_command import run_audit

    code = run_audit(list(paths), fmt=fmt, output=output, previous=previous, as_of=as_of or dt.date.today(),
                     profile=profile or _default_profile(), engine=engine, force=force, verbose=ctx.obj["verbose"],
                     auditor=auditor, auditor_title=auditor_title, jobs=jobs, annotate=annotate)
    sys.exit(code)


@main.command(epilog="Exit codes: 0 stopped, 2 could not start.")
@click.option("--port", type=int, default=8765, show_default=True, help="The port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but this computer (127.0.0.1) needs --token or --sso-header.")
@click.option("--token", envvar="PERMANENCE_WEB_TOKEN", default=None,
              help="An access token every request must carry (open the page once as /?token=TOKEN). Also $PERMANENCE_WEB_TOKEN.")
@click.option("--sso-header", "sso_header", metavar="HEADER", default=None,
              help="Behind your authority's sign-in proxy: refuse requests without this header (e.g. X-Remote-User). "
                   "The proxy must set it and strip it from what browsers send.")
def serve(port, host, token, sso_header):
    """Open the toolkit as a web page: check drafts, audit CPRs, build the tracker.

    Listens on this computer only unless --host is given. Files are held in memory while
    they are checked and nothing is kept. Example:

    \b
      permanence serve            # then open http://127.0.0.1:8765/
    """
    from permanence.web.serve import run_serve

    sys.exit(run_serve(host, port, token, sso_header))


if __name__ == "__main__":  # pragma: no cover
    main()
