"""The command line. Thin: parse flags, load config, call the engine, render, return the exit code.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or configuration error.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from oauthlint import __version__
from oauthlint.errors import UsageError
from oauthlint.model import scrub_known_secrets

app = typer.Typer(
    name="oauthlint",
    help="Lint live OAuth configuration (Posit Connect integrations) against the identity providers' own APIs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMAT_HELP = "Output format: text, json, sarif, junit, github or prometheus."
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="oauthlint.toml or pyproject.toml; default: found in the current directory."),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)]
FailOnOpt = Annotated[
    str | None, typer.Option("--fail-on", help="Exit 1 on findings at or above: error (default), warning, info, never.")
]
SelectOpt = Annotated[
    list[str] | None, typer.Option("--select", help="Only these rule codes or prefixes (AZ, AZ00, AZ003, ALL).")
]
IgnoreOpt = Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rule codes or prefixes.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.")]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour, even on a terminal (NO_COLOR works too).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only findings and the summary; no fixes, no passes.")]
BaselineOpt = Annotated[
    Path | None, typer.Option("--baseline", help="Fail only on findings whose fingerprint is not in this baseline.")
]
WriteBaselineOpt = Annotated[
    Path | None, typer.Option("--write-baseline", help="Record today's findings as the accepted baseline FILE.")
]
NotifyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--notify",
        help="Alert on findings at or above --fail-on: Slack or Teams webhook URL, or smtp://… (repeatable).",
    ),
]
NowOpt = Annotated[
    str | None, typer.Option("--now", hidden=True, help="Pretend it is this ISO time (reproducible runs).")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"oauthlint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """oauthlint: every OAuth misconfiguration found before a user logs in."""


@app.command()
def check(
    config: ConfigOpt = None,
    integration: Annotated[
        list[str] | None, typer.Option("--integration", "-i", help="Only the integration(s) with this name.")
    ] = None,
    connect_server: Annotated[
        str | None,
        typer.Option(
            "--connect-server",
            help="Read the integrations from this Posit Connect server's API (key in CONNECT_API_KEY).",
        ),
    ] = None,
    content: Annotated[
        list[str] | None,
        typer.Option(
            "--content", help="Deployment gate: this content GUID must have its OAuth integrations (CN001/CN002)."
        ),
    ] = None,
    format: FormatOpt = "text",
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: OutputOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = None,
    notify: NotifyOpt = None,
    no_probe: Annotated[
        bool, typer.Option("--no-probe", help="Send no token request with the configured secrets (Azure AZ008).")
    ] = False,
    now: NowOpt = None,
) -> None:
    """Check every integration in the config, or on a Connect server (offline snapshots or live providers)."""
    from oauthlint.config import load_config

    extra: list[Any] = []
    if connect_server:
        from oauthlint.providers.connect.cli_support import api_key_from_env, connect_targets, gate_evaluations

        api_key = api_key_from_env()
        loaded = load_optional_config(config)
        targets, extra, skipped = connect_targets(loaded, connect_server, api_key)
        for item in skipped:  # said, not hidden: a gate must not look wider than it is
            sys.stderr.write(f"oauthlint: note: not checked: Connect integration {item.name!r} ({item.reason})\n")
        extra += gate_evaluations(loaded, connect_server, api_key, content or [], targets)
    elif content:
        raise UsageError("--content needs --connect-server (the Connect server that holds the content)")
    else:
        loaded = load_config(config)
        targets = list(loaded.integrations)
        if not targets:
            raise UsageError(f"{loaded.path}: no [[integrations]] to check")
    if no_probe:
        loaded = _without_probes(loaded)
    if integration:
        names = {i.name for i in targets}
        unknown = [n for n in integration if n not in names]
        if unknown:
            raise UsageError(f"--integration: no integration named {unknown[0]!r}")
        targets = [i for i in targets if i.name in integration]
    _finish(
        run_checks(
            loaded,
            targets,
            format,
            fail_on,
            select,
            ignore,
            output,
            no_color,
            quiet,
            now,
            extra_evaluations=extra,
            baseline=baseline,
            write_baseline=write_baseline,
            notify=notify,
        )
    )


def run_checks(
    loaded: Any,
    targets: list[Any],
    format: str,
    fail_on: str | None,
    select: list[str] | None,
    ignore: list[str] | None,
    output: Path | None,
    no_color: bool,
    quiet: bool,
    now: str | None,
    *,
    extra_evaluations: list[Any] | None = None,
    findings: list[Any] | None = None,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    notify: list[str] | None = None,
) -> int:
    """Shared by ``check`` and the one-off provider commands: run, render, return the exit code."""
    from oauthlint import engine
    from oauthlint.report import RenderOptions, renderer
    from oauthlint.rules import catalog
    from oauthlint.selection import ALL, RuleSelection, validated

    threshold = _fail_on(fail_on or loaded.fail_on or "error")
    render = renderer(format)
    alert_targets = _alert_targets(notify)
    label = str(loaded.path) if loaded.path else "config"
    rules = catalog()
    chosen = validated(select, rules, "--select") if select else validated(loaded.select, rules, f"{label}: select")
    ignored = validated(loaded.ignore, rules, f"{label}: ignore") + validated(ignore or [], rules, "--ignore")
    selection = RuleSelection(select=chosen or (ALL,), ignore=ignored)
    moment = _parse_now(now)
    if findings is not None:  # an audit: findings about objects no integration names
        report = engine.audit_report(findings, selection=selection, suppressions=loaded.suppressions, now=moment)
    else:
        report = engine.run(
            loaded, selection=selection, now=moment, integrations=targets, extra_evaluations=extra_evaluations or ()
        )
    if write_baseline is not None:
        from oauthlint.baseline import write_baseline as record

        count = record(report, write_baseline)
        sys.stderr.write(f"oauthlint: wrote {count} fingerprints to {write_baseline}\n")
        baseline = write_baseline
    if baseline is not None:
        from oauthlint.baseline import apply_baseline

        report = apply_baseline(report, baseline)
    options = RenderOptions(fail_on=threshold, color=_use_color(no_color, output), quiet=quiet, width=_width(output))
    _emit(render.findings(report, options), output)
    return _alert(alert_targets, report, threshold, engine.exit_code(report, threshold))


def _alert_targets(urls: list[str] | None) -> list[Any]:
    """Parse --notify early, so a bad URL is a usage error before any provider is asked."""
    if not urls:
        return []
    from oauthlint.notify import parse_targets

    return parse_targets(urls)


def _alert(targets: list[Any], subject: Any, threshold: str, code: int) -> int:
    """Send alerts when the run failed; a failed delivery is reported on stderr and in the exit code (3)."""
    if not targets or not code:
        return code
    from oauthlint.notify import NotifyError
    from oauthlint.notify import notify as send

    try:
        send(targets, subject, threshold)
    except NotifyError as exc:
        sys.stderr.write(f"oauthlint: error: {exc}\n")
        return exc.exit_code
    return code


@app.command()
def secrets(
    config: ConfigOpt = None,
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider", "-p", help="Only this provider; live providers then list every credential they can see."
        ),
    ] = None,
    within: Annotated[
        str | None, typer.Option("--within", help="Only credentials ending within this window (30d, 2w, 12h).")
    ] = None,
    owners: Annotated[
        bool, typer.Option("--owners", help="Add each app's owners (where the provider knows them).")
    ] = False,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="With --provider azure: only this configured tenant (name or id).")
    ] = None,
    format: FormatOpt = "text",
    fail_on: FailOnOpt = None,
    output: OutputOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    notify: NotifyOpt = None,
    now: NowOpt = None,
) -> None:
    """List credentials with their expiry, soonest first; exit 1 when any is expired or due within --within."""
    from oauthlint import inventory as inv
    from oauthlint.config import load_config
    from oauthlint.report import RenderOptions, renderer
    from oauthlint.scan import collect_credentials

    threshold = _fail_on(fail_on or "error")
    render = renderer(format)
    alert_targets = _alert_targets(notify)
    try:
        window = inv.parse_duration(within) if within is not None else None
    except ValueError as exc:
        raise UsageError(f"--within: {exc}") from None
    loaded = load_config(config)
    moment = _parse_now(now)
    if tenant is not None and provider != "azure":
        raise UsageError("--tenant needs --provider azure")
    scan_options = {"tenant": tenant} if tenant is not None else {}
    credentials, failures = collect_credentials(loaded, provider=provider, owners=owners, **scan_options)
    inventory = inv.build(credentials, now=moment, within=window, failures=failures)
    options = RenderOptions(fail_on=threshold, color=_use_color(no_color, output), quiet=quiet, width=_width(output))
    _emit(render.credentials(inventory, options), output)
    failed = bool(inventory.failures) or (threshold != "never" and bool(inventory.due))
    _finish(_alert(alert_targets, inventory, threshold, 1 if failed else 0))


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code (AZ003) or name; omit for the whole catalog.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")] = "text",
    output: OutputOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Show the rule catalog, or one rule's page."""
    from oauthlint import ruledocs
    from oauthlint.rules import catalog

    rules_by_code = catalog()
    selected = list(rules_by_code.values())
    if code is not None:
        wanted = code.strip().upper()
        by_name = {r.name: r for r in selected}
        if wanted in rules_by_code:
            selected = [rules_by_code[wanted]]
        elif code.strip().lower() in by_name:
            selected = [by_name[code.strip().lower()]]
        else:
            matching = [r for r in selected if r.code.startswith(wanted)]
            if not matching:
                raise UsageError(f"unknown rule {code!r}; `oauthlint rules` lists them all")
            selected = matching
    if format == "json":
        text = ruledocs.as_json(selected)
    elif format == "markdown":
        text = ruledocs.as_markdown(selected)
    elif format == "text":
        color = _use_color(no_color, output)
        text = ruledocs.page(selected[0], color) if len(selected) == 1 else ruledocs.table(selected, color)
    else:
        raise UsageError(f"--format: expected text, json or markdown, got {format!r}")
    _emit(text, output)


@app.command()
def explain(
    text: Annotated[list[str], typer.Argument(help="A rule code, or runtime error text pasted in full or in part.")],
    no_color: NoColorOpt = False,
) -> None:
    """Map a runtime error (AADSTS codes, Keycloak/Snowflake/Connect messages) to the rules that predict it."""
    from oauthlint import ruledocs
    from oauthlint.explain import explain as find
    from oauthlint.rules import catalog

    query = " ".join(text).strip()
    if not query:
        raise UsageError("explain: give a rule code or paste the error text")
    result = find(query, catalog())
    _emit(ruledocs.explanation(query, result, _use_color(no_color, None)), None)
    _finish(0 if not result.empty else 1)


def _register_provider_commands() -> None:
    from oauthlint import oneoff

    registered = {c.name for c in app.registered_commands}
    for command in oneoff.COMMANDS:
        name = command.__name__.removesuffix("_command")
        if name not in registered:
            app.command(name=name)(command)


def _without_probes(loaded: Any) -> Any:
    """Provider settings with their live secret probes turned off (for tenants that forbid token requests)."""
    from dataclasses import replace

    settings = dict(loaded.provider_settings)
    for name, value in settings.items():
        if hasattr(value, "with_overrides"):
            settings[name] = value.with_overrides(probe=False)
    return replace(loaded, provider_settings=settings)


def load_optional_config(path: Path | None) -> Any:
    """``--config``, else oauthlint.toml / pyproject.toml here, else an empty config (one-off checks need none)."""
    from oauthlint.config import Config, find_config, load_config

    if path is None:
        try:
            path = find_config(Path.cwd())
        except UsageError:
            return Config()
    return load_config(path)


def _fail_on(value: str) -> str:
    from oauthlint.config import FAIL_ON_VALUES

    value = value.strip().lower()
    if value not in FAIL_ON_VALUES:
        raise UsageError(f"--fail-on: expected one of {', '.join(FAIL_ON_VALUES)}, got {value!r}")
    return value


def _parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now: expected an ISO date-time, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _use_color(no_color: bool, output: Path | None) -> bool:
    if no_color or output is not None or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _width(output: Path | None) -> int:
    if output is None and sys.stdout.isatty():
        return max(60, min(os.get_terminal_size().columns, 140))
    return 100


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--output: cannot write {output}: {exc.strerror or exc}") from None


def _finish(code: int) -> None:
    if code:
        raise typer.Exit(code)


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
    sys.stderr.write(f"oauthlint: warning: {message}\n")


class _ScrubbingFormatter(logging.Formatter):
    """Debug logs from oauthlint and the client libraries, with every known secret value replaced."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub_known_secrets(super().format(record))


def _configure_logging(debug: bool) -> None:
    """Libraries (msal, urllib3) log tracebacks through logging's last-resort handler; users see none of it
    unless OAUTHLINT_DEBUG is set, and then only scrubbed."""
    root = logging.getLogger()
    if debug:
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ScrubbingFormatter("%(levelname)s %(name)s: %(message)s"))
        root.setLevel(logging.DEBUG)
    else:
        handler = logging.NullHandler()
    if not any(isinstance(h, type(handler)) for h in root.handlers):
        root.addHandler(handler)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure is one line on stderr and an exit code, never a traceback."""
    warnings.showwarning = _show_warning
    debug = bool(os.environ.get("OAUTHLINT_DEBUG"))
    _configure_logging(debug)
    try:
        result = app(args=argv, prog_name="oauthlint", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:  # bad flags: the parser's own message, exit 2
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"oauthlint: error: {exc.format_message()}\n")
        sys.exit(2)
    except typer.Abort:
        sys.stderr.write("oauthlint: interrupted\n")
        sys.exit(130)
    except UsageError as exc:
        sys.stderr.write(f"oauthlint: error: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("oauthlint: interrupted\n")
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        first = scrub_known_secrets(str(exc).splitlines()[0] if str(exc) else "")
        sys.stderr.write(
            f"oauthlint: internal error: {type(exc).__name__}: {first} (set OAUTHLINT_DEBUG=1 for details)\n"
        )
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)


_register_provider_commands()
