"""The command line: `kerascheck [OPTIONS] PATH...`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

import click

from kerascheck import __version__
from kerascheck.config import ConfigError, ConfigFinder
from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.engine import FileResult, Settings, check_text


class UsageProblem(Exception):
    """A bad path, option or code: a one-line message and exit status 2."""


def discover(paths: Iterable[str]) -> list[str]:
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            from kerascheck.walk import walk

            files.extend(walk(path))
        elif os.path.isfile(path):
            files.append(path)
        elif os.path.exists(path):
            # A FIFO would block the read forever, a device would never end: refuse, never open it.
            raise UsageProblem(f"{path}: not a regular file (a FIFO, socket or device is never read)")
        else:
            raise UsageProblem(f"{path}: no such file or directory")
    return files


def _codes(option: str, value: str | None) -> tuple[str, ...]:
    from kerascheck.rules import PRESETS, RULES_BY_CODE

    if not value:
        return ()
    codes: tuple[str, ...] = ()
    for item in (c.strip() for c in value.split(",") if c.strip()):
        codes += PRESETS.get(item.lower(), (item.upper(),))
    for code in codes:
        if not any(known.startswith(code) for known in RULES_BY_CODE):
            raise UsageProblem(f"{option}: unknown rule code or prefix {code!r} (see `kerascheck --list-rules`)")
    return codes


def _explain(code: str) -> str:
    from kerascheck.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code.upper())
    if rule is None:
        raise UsageProblem(f"--explain: unknown rule code {code!r} (see `kerascheck --list-rules`)")
    return f"# {rule.CODE} {rule.NAME} ({rule.SEVERITY.label})\n\n{rule.documentation()}\n"


def _list_rules() -> str:
    from kerascheck.rules import ALL_RULES

    width = max(len(r.NAME) for r in ALL_RULES)
    return "".join(f"{r.CODE}  {r.NAME:<{width}}  {r.SEVERITY.label:<7}  {r.summary()}\n" for r in ALL_RULES)


class _Command(click.Command):
    """`kerascheck server [OPTIONS]` starts the language server; anything else checks paths.

    Only a first argument of exactly `server` is the subcommand, so `kerascheck ./server`,
    `kerascheck -- server` and `kerascheck model.py server` still check a path named `server`.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[no-untyped-def]
        argv = list(sys.argv[1:] if args is None else args)
        if argv[:1] == ["server"]:
            from kerascheck.server import main as server_main

            if os.path.exists("server"):
                click.echo("kerascheck: starting the language server; to check the path `server`, "
                           "run `kerascheck ./server`", err=True)
            status = server_main(argv[1:])
            if standalone_mode:
                sys.exit(status)
            return status
        return super().main(args, prog_name, complete_var, standalone_mode, **extra)


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "--output-format", "output_format",
              type=click.Choice(["text", "full", "json", "json-lines", "github", "sarif", "mermaid", "dot", "html"]),
              default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--stdin-filename", default=None, metavar="PATH",
              help="With `-` as the path: the name to report for code read from standard input.")
@click.option("--shapes", is_flag=True, help="Also print each model's summary: layer, output shape, params, line.")
@click.option("--explain-model", is_flag=True,
              help="Also print, for every layer, what its arguments mean and how its output shape follows.")
@click.option("--select", default=None,
              help="Comma-separated rule codes or prefixes to enable (default: all but KC401 and KC601; "
                   "`learn` names those two).")
@click.option("--extend-select", default=None, help="Comma-separated rule codes or prefixes to enable as well.")
@click.option("--ignore", default=None, help="Comma-separated rule codes or prefixes to disable.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Exit 1 when a finding at or above this severity is reported (default: warning).")
@click.option("--force-exclude", is_flag=True,
              help="Apply `exclude` from the configuration to files named on the command line too.")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that change the model.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them.")
@click.option("--execute", is_flag=True,
              help="Also run each model in NumPy (never the file's code) and confirm every static shape.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes for large runs (0: automatic; 1: none).")
@click.option("--no-cache", is_flag=True, help="Check every file again instead of reusing results of unchanged files.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Use this pyproject.toml for every file instead of the nearest one above each.")
@click.option("--show-fixes", is_flag=True, help="With --fix: list each fix applied.")
@click.option("--add-noqa", is_flag=True,
              help="Add a `# noqa: KCnnn` comment for every finding (to adopt kerascheck on existing code).")
@click.option("-v", "--verbose", is_flag=True, help="Also say which files were skipped, and why.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (2 still means an error).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings: no summary lines, no 'All checks passed!'.")
@click.option("--explain", "explain", metavar="CODE", default=None, help="Print a rule's documentation.")
@click.option("--list-rules", is_flag=True, help="List every rule with its code and severity.")
@click.version_option(__version__, "--version", prog_name="kerascheck")
def main(
    paths: tuple[str, ...], output_format: str, output_file: str | None, stdin_filename: str | None,
    shapes: bool, explain_model: bool, select: str | None, extend_select: str | None, ignore: str | None,
    fail_on: str | None, force_exclude: bool, fix: bool, unsafe_fixes: bool, diff: bool,
    execute: bool, jobs: int, no_cache: bool, statistics: bool, config_file: str | None, show_fixes: bool,
    add_noqa: bool, verbose: bool, exit_zero: bool, quiet: bool, explain: str | None, list_rules: bool,
) -> None:
    """Check Keras model code without running it: shapes, parameters and the faults Keras misses.

    `kerascheck server` runs the language server for editors (needs `pip install 'kerascheck[server]'`).
    """
    try:
        if explain is not None:
            click.echo(_explain(explain), nl=False)
            sys.exit(0)
        if list_rules:
            click.echo(_list_rules(), nl=False)
            sys.exit(0)
        from kerascheck.rules import PRESETS, RULES_BY_CODE

        OPT_IN = PRESETS["learn"]  # noqa: N806

        cli_select = _codes("--select", select)
        cli_extend = _codes("--extend-select", extend_select)
        cli_ignore = _codes("--ignore", ignore)
        finder = ConfigFinder(set(RULES_BY_CODE), PRESETS)
        if config_file is not None:
            finder.use_file(config_file)

        def settings_for(path: str):  # type: ignore[no-untyped-def]
            config = finder.for_path(path)
            chosen = cli_select or config.select or ("KC",)
            explicit = (cli_select or config.select or ()) + config.extend_select + cli_extend
            # An opt-in rule runs only when named by its code or a prefix narrower than `KC` (or `learn`).
            off = tuple(code for code in OPT_IN if not any(len(e) > 2 and code.startswith(e) for e in explicit))
            return Settings(
                select=chosen + config.extend_select + cli_extend,
                off=off,
                ignore=config.ignore + cli_ignore + config.ignores_for(path),
                execute=execute,
            ), config

        use_stdin = paths == ("-",)
        if "-" in paths and not use_stdin:
            raise UsageProblem("`-` (standard input) cannot be combined with other paths")
        if add_noqa and use_stdin:
            raise UsageProblem("--add-noqa writes the files it is given: it cannot take standard input")
        if add_noqa and (fix or diff):
            raise UsageProblem("--add-noqa cannot be combined with --fix or --diff")
        if stdin_filename is not None and not use_stdin:
            raise UsageProblem("--stdin-filename needs `-` as the path")
        files = [] if use_stdin else discover(paths or (".",))
        named = set(paths)
        files = [f for f in files if not ((force_exclude or f not in named) and finder.for_path(f).excluded(f))]
        per_file = {f: settings_for(f) for f in files}
        stdin_settings = settings_for(stdin_filename or os.path.join(os.getcwd(), "-")) if use_stdin else None
    except (UsageProblem, ConfigError) as e:
        click.echo(f"kerascheck: {e}", err=True)
        sys.exit(2)

    if use_stdin:
        assert stdin_settings is not None
        name = stdin_filename or "-"
        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            click.echo(f"kerascheck: {name}: standard input is not UTF-8 text", err=True)
            sys.exit(2)
        from kerascheck.runner import batch_gc

        with batch_gc():
            results = [check_text(name, text, stdin_settings[0])]
        thresholds = {name: stdin_settings[1].fail_on}
        if fix and not diff:
            # `cat f.py | kerascheck - --fix`: the fixed code on standard output (editors' fix on save),
            # the findings that are left on standard error.
            fixed = _fixed_text(results[0], text, stdin_settings[0], unsafe_fixes)
            sys.stdout.write(fixed)
            left = check_text(name, fixed, stdin_settings[0])
            if left.diagnostics:
                click.echo(_render("text", [left], False), err=True, nl=False)
            sys.exit(2 if left.internal_error or left.read_error else 0)
    else:
        from kerascheck.runner import Cache, check_many, terminal_progress

        # Fixes and the full format need each file's source and CST: those runs stay in this process.
        keep_sources = fix or diff or add_noqa or output_format == "full" or execute
        results = check_many(
            files,
            lambda f: per_file[f][0],
            jobs=jobs,
            cache=None if no_cache or keep_sources else Cache(os.getcwd()),
            keep_sources=keep_sources,
            progress=terminal_progress(),
            fork=True,  # this process is kerascheck's own: workers may be forked (runner.start_method)
        )
        thresholds = {f: per_file[f][1].fail_on for f in files}
    status = 0
    for r in results:
        if verbose and r.skipped:
            click.echo(f"kerascheck: {r.path}: skipped: it never mentions keras or tensorflow", err=True)
        if r.read_error is not None:
            click.echo(f"kerascheck: {r.read_error}", err=True)
            status = 2

    if add_noqa:
        try:
            added = _add_noqa(results)
        except UsageProblem as e:
            click.echo(f"kerascheck: {e}", err=True)
            sys.exit(2)
        click.echo(f"Added {added} noqa directive{'' if added == 1 else 's'}.", err=True)
        sys.exit(2 if status == 2 or any(r.internal_error for r in results) else 0)
    if diff:
        changed = _fix(results, {}, unsafe_fixes, write=False)
        sys.exit(2 if status == 2 else 1 if changed else 0)
    if fix:
        try:
            results = _fix(results, {r.path: per_file[r.path][0] for r in results}, unsafe_fixes, write=True,
                           show=show_fixes)
        except UsageProblem as e:
            click.echo(f"kerascheck: {e}", err=True)
            sys.exit(2)

    readable = [r for r in results if r.read_error is None]
    if statistics:
        from kerascheck.report.text import statistics as statistics_table

        report = statistics_table(readable)
    else:
        report = _render(output_format, readable, shapes, explain_model)
        if quiet and output_format in ("text", "full"):
            report = "".join(line for line in report.splitlines(keepends=True)
                             if not line.startswith(("Found ", "[*] ", "(", "All checks passed!")))
    if output_file is not None:
        try:
            with open(output_file, "w", encoding="utf-8") as f:
                f.write(report)
        except OSError as e:
            click.echo(f"kerascheck: cannot write {output_file}: {e.strerror or e}", err=True)
            sys.exit(2)
    else:
        color = output_format in ("text", "full") and _use_color(sys.stdout)
        click.echo(_colorize(report) if color else report, nl=False, color=color)

    def threshold(path: str) -> Severity:
        if fail_on is not None:
            return Severity.parse(fail_on)
        return thresholds.get(path) or Severity.WARNING

    if any(r.internal_error for r in results):
        status = 2
    if status != 2 and any(d.severity >= threshold(r.path) for r in results for d in r.diagnostics):
        status = 1
    sys.exit(0 if exit_zero and status == 1 else status)


def _render(output_format: str, results: list[FileResult], shapes: bool, explain: bool = False) -> str:
    if output_format == "json":
        from kerascheck.report import json as json_report

        return json_report.render(results)
    if output_format in ("json-lines", "github", "sarif"):
        from kerascheck.report import formats

        if output_format == "sarif":
            from kerascheck.rules import ALL_RULES

            return formats.sarif(results, ALL_RULES)
        return {"json-lines": formats.json_lines, "github": formats.github}[output_format](results)
    if output_format in ("mermaid", "dot", "html"):
        from kerascheck.report import diagram

        if output_format == "html":
            return diagram.html(results)
        models = [m for r in results for m in r.models]
        return diagram.mermaid(models) if output_format == "mermaid" else diagram.dot(models)
    from kerascheck.report import text

    return text.render(results, shapes=shapes, full=output_format == "full", explain=explain)


def _fix(results: list[FileResult], settings: dict[str, Settings], unsafe: bool, write: bool,
         show: bool = False) -> list[FileResult]:
    """Write the fixes (and re-check the result), or print them as a diff; returns the changed files' results."""
    import copy

    from kerascheck.fixes.apply import fix_notebook, fix_until_stable, wanted

    out = []
    changed = []
    for r in results:
        if r.source is None or not any(wanted(d.fix, unsafe) for d in r.diagnostics):
            out.append(r)
            continue
        if r.source.notebook is not None:
            outcome = fix_notebook(copy.deepcopy(r.source.notebook), r.diagnostics, unsafe=unsafe,
                                   original=r.source.text)
        else:
            path_settings = settings.get(r.path)
            # A file with old Mac line endings (CR only) is fixed with LF ones, which every position
            # kerascheck computes agrees with, and written back with its own.
            cr_only = "\r" in r.source.text and "\n" not in r.source.text
            start = r.source.text.replace("\r", "\n") if cr_only else r.source.text
            def diagnose(text: str, path: str = r.path, chosen: Settings | None = path_settings) -> list[Diagnostic]:
                return check_text(path, text, chosen).diagnostics

            outcome = fix_until_stable(start, diagnose, unsafe=unsafe)
            if cr_only:
                outcome.text = outcome.text.replace("\n", "\r")
        for d in outcome.rejected:
            click.echo(f"kerascheck: {r.path}:{d.span.line}: fix for {d.code} dropped: the result would not parse",
                       err=True)
        if outcome.text == r.source.text:
            out.append(r)
            continue
        changed.append(r)
        if write:
            _write_fixed(r.path, outcome.text)
            click.echo(f"Fixed {len(outcome.applied)} problem{'s' if len(outcome.applied) != 1 else ''} in {r.path}.",
                       err=True)
            if show:
                for d in outcome.applied:
                    title = d.fix.title if d.fix is not None else ""
                    click.echo(f"  {r.path}:{d.span.line}:{d.span.column}: {d.code} {title}", err=True)
            out.append(check_text(r.path, outcome.text, settings.get(r.path)))
        else:
            import difflib

            click.echo("".join(difflib.unified_diff(
                r.source.text.splitlines(keepends=True), outcome.text.splitlines(keepends=True),
                fromfile=r.path, tofile=r.path,
            )), nl=False)
            out.append(r)
    return out if write else changed


def _use_color(stream: object) -> bool:
    """Colour on a terminal, unless NO_COLOR is set; FORCE_COLOR asks for it anywhere (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


_FINDING = re.compile(r"^(?P<where>\S.*?:\d+:\d+:) (?P<code>KC\d{3})(?P<mark> \[\*\])?")


def _colorize(report: str) -> str:
    """The text report with the location bold, the code coloured by severity and `[*]` cyan, as ruff does."""
    from kerascheck.rules import RULES_BY_CODE

    colors = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}

    def paint(m: re.Match[str]) -> str:
        rule = RULES_BY_CODE.get(m["code"])
        code = click.style(m["code"], fg=colors.get(rule.SEVERITY, "white") if rule else "white", bold=True)
        mark = click.style(" [*]", fg="cyan") if m["mark"] else ""
        return f"{click.style(m['where'], bold=True)} {code}{mark}"

    lines = []
    for line in report.splitlines(keepends=True):
        if line.startswith("All checks passed!"):
            line = click.style(line.rstrip("\n"), fg="green") + "\n"
        lines.append(_FINDING.sub(paint, line, count=1))
    return "".join(lines)


def _fixed_text(result: FileResult, text: str, settings: Settings, unsafe: bool) -> str:
    """`text` with the fixes `result` found applied (itself when there are none, or nothing was read)."""
    import copy

    from kerascheck.fixes.apply import fix_notebook, fix_until_stable

    source = result.source
    if source is None:
        return text
    if source.notebook is not None:
        return fix_notebook(copy.deepcopy(source.notebook), result.diagnostics, unsafe=unsafe, original=source.text).text
    return fix_until_stable(source.text, lambda t: check_text(result.path, t, settings).diagnostics, unsafe=unsafe).text


def _add_noqa(results: list[FileResult]) -> int:
    """Add `# noqa` comments for the findings of each file and write it; returns how many codes were added."""
    import copy

    from kerascheck.fixes.apply import apply_fixes, fix_notebook, parses
    from kerascheck.suppress import noqa_edits

    added = 0
    for r in results:
        if r.source is None or not r.diagnostics:
            continue
        if r.source.notebook is not None:
            cells = r.source.notebook.get("cells", [])
            edits = []
            for index, cell in enumerate(cells, start=1):
                if isinstance(cell, dict) and cell.get("cell_type") == "code":
                    body = cell.get("source", "")
                    edits += noqa_edits("".join(body) if isinstance(body, list) else str(body), r.diagnostics, index)
            outcome = fix_notebook(copy.deepcopy(r.source.notebook), edits, original=r.source.text)
        else:
            cr_only = "\r" in r.source.text and "\n" not in r.source.text
            start = r.source.text.replace("\r", "\n") if cr_only else r.source.text
            outcome = apply_fixes(start, noqa_edits(start, r.diagnostics), check=parses)
            if cr_only:
                outcome.text = outcome.text.replace("\n", "\r")
        if outcome.applied:
            _write_fixed(r.path, outcome.text)
            added += sum(len(d.notes) for d in outcome.applied)
    return added


def _write_fixed(path: str, text: str) -> None:
    """Write a fixed file in its own encoding (a UTF-8 byte-order mark stays), through a temporary file
    beside it, so a failed write (a read-only folder, a full disk) leaves the original as it was."""
    import tempfile

    try:
        with open(path, "rb") as f:
            bom = f.read(3) == b"\xef\xbb\xbf"  # read_text drops it; the file keeps it
        mode = os.stat(path).st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=".kerascheck-", dir=os.path.dirname(os.path.abspath(path)))
        try:
            with open(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
                f.write(text)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as e:
        raise UsageProblem(f"{path}: cannot write the fixes: {e.strerror or e}") from None


if __name__ == "__main__":
    main()
