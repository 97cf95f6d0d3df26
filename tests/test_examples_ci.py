"""examples/ci/: valid YAML and systemd units, and every oauthlint command in them is a real command with real flags."""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.main import get_command

from oauthlint.cli import app
from oauthlint.config import FAIL_ON_VALUES, TOP_LEVEL_KEYS
from oauthlint.inventory import parse_duration
from oauthlint.notify import parse_target
from oauthlint.report import FORMATS

EXAMPLES = Path(__file__).parents[1] / "examples" / "ci"
# Flags this work adds; the lead wires them into cli.py (see the report). Once wired, the CLI's own
# definitions are checked instead, as for every other flag.
PENDING_FLAGS: dict[str, bool] = {}
VARIABLE = re.compile(r"^(\$\{?\w+\}?|\$\(\w+\))$")  # $VAR, ${VAR} (shell, systemd), $(VAR) (Kubernetes)


@dataclass
class Invocation:
    command: str
    options: dict[str, list[str | None]]


def cli_commands() -> dict[str, Any]:
    """The CLI's commands as its parser defines them (typer's bundled click)."""
    return dict(get_command(app).commands)  # type: ignore[attr-defined]


def parse_invocation(tokens: list[str]) -> Invocation:
    """Check tokens against the CLI's own option definitions, the way click would consume them."""
    assert tokens[0].endswith("oauthlint"), tokens
    commands = cli_commands()
    assert tokens[1] in commands, f"unknown command {tokens[1]!r}"
    params = {opt: p for p in commands[tokens[1]].params for opt in (*p.opts, *p.secondary_opts)}
    options: dict[str, list[str | None]] = {}
    rest = tokens[2:]
    while rest:
        token = rest.pop(0)
        assert token.startswith("-"), f"unexpected argument {token!r} in {shlex.join(tokens)}"
        name, _, inline = token.partition("=")
        if name in params:
            takes_value = not getattr(params[name], "is_flag", False)
        else:
            assert name in PENDING_FLAGS, f"oauthlint {tokens[1]} has no option {name}"
            takes_value = PENDING_FLAGS[name]
        value: str | None = None
        if takes_value:
            value = inline or rest.pop(0)
        options.setdefault(name, []).append(value)
    check_values(options)
    return Invocation(tokens[1], options)


def check_values(options: dict[str, list[str | None]]) -> None:
    for value in options.get("--format", []):
        assert value in FORMATS
    for value in options.get("--fail-on", []):
        assert value in FAIL_ON_VALUES
    for value in options.get("--within", []):
        assert value is not None
        parse_duration(value)
    for value in options.get("--notify", []):
        assert value is not None
        if not VARIABLE.match(value):
            parse_target(value, {"OAUTHLINT_SMTP_PASSWORD": "x"})


def shell_invocations(script: str) -> list[Invocation]:
    joined = script.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        tokens = shlex.split(line, comments=True)
        if tokens and tokens[0] == "oauthlint":
            found.append(parse_invocation(tokens))
    return found


# --- GitHub Actions --------------------------------------------------------------------------------------------


def test_github_actions_gate_uploads_its_sarif() -> None:
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    gate = next(s for s in steps if s.get("id") == "gate")
    (invocation,) = shell_invocations(gate["run"])
    assert invocation.command == "check"
    assert invocation.options["--format"] == ["sarif"]
    (sarif_file,) = invocation.options["--output"]
    assert gate["continue-on-error"] is True
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == sarif_file
    assert "always()" in upload["if"]
    assert steps[-1]["if"] == "steps.gate.outcome == 'failure'"
    assert "exit 1" in steps[-1]["run"]
    annotate = [
        i for s in steps if "run" in s for i in shell_invocations(s["run"]) if i.options.get("--format") == ["github"]
    ]
    assert annotate and annotate[0].options["--fail-on"] == ["never"]


# --- GitLab CI -------------------------------------------------------------------------------------------------


def test_gitlab_jobs_report_junit() -> None:
    pipeline = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text())
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"oauthlint", "oauthlint-secrets"}
    commands = set()
    for job in jobs.values():
        assert job["stage"] in pipeline["stages"]
        (invocation,) = [i for line in job["script"] for i in shell_invocations(line)]
        commands.add(invocation.command)
        assert invocation.options["--format"] == ["junit"]
        assert job["artifacts"]["reports"]["junit"] == invocation.options["--output"][0]
        assert job["artifacts"]["when"] == "always"
    assert commands == {"check", "secrets"}
    assert jobs["oauthlint-secrets"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]


# --- Kubernetes --------------------------------------------------------------------------------------------------


def test_kubernetes_cronjob() -> None:
    documents = list(yaml.safe_load_all((EXAMPLES / "kubernetes-cronjob.yaml").read_text()))
    kinds = {d["kind"]: d for d in documents}
    assert set(kinds) == {"ConfigMap", "CronJob"}
    cron = kinds["CronJob"]
    assert cron["apiVersion"] == "batch/v1"
    assert len(cron["spec"]["schedule"].split()) == 5
    job = cron["spec"]["jobTemplate"]["spec"]
    assert job["backoffLimit"] == 0
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    invocation = parse_invocation([*container["command"], *[str(a) for a in container["args"]]])
    assert invocation.command == "secrets"
    assert invocation.options["--notify"] == ["$(OAUTHLINT_NOTIFY_URL)"]
    (mount,) = container["volumeMounts"]
    (config_path,) = invocation.options["--config"]
    assert config_path == f"{mount['mountPath']}/oauthlint.toml"
    assert pod["volumes"][0]["configMap"]["name"] == kinds["ConfigMap"]["metadata"]["name"]
    config = tomllib.loads(kinds["ConfigMap"]["data"]["oauthlint.toml"])
    assert set(config) <= set(TOP_LEVEL_KEYS)
    assert "${env:" in config["providers"]["azure"]["client_secret"]  # a reference, never the secret


# --- systemd -----------------------------------------------------------------------------------------------------


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd.syntax(7): [Section] headers, Key=Value lines, '#'/';' comments, backslash continuation;
    keys may repeat (hence lists; configparser's strict mode would reject that)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    logical = text.replace("\\\n", " ")
    for raw in logical.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = sections.setdefault(header[1], {})
            continue
        assert current is not None, f"assignment outside a section: {line}"
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key.strip()), f"not Key=Value: {line}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_systemd_service_and_timer() -> None:
    service = parse_unit((EXAMPLES / "systemd" / "oauthlint-secrets.service").read_text())
    timer = parse_unit((EXAMPLES / "systemd" / "oauthlint-secrets.timer").read_text())
    assert set(service) == {"Unit", "Service"}
    assert service["Service"]["Type"] == ["oneshot"]
    (exec_start,) = service["Service"]["ExecStart"]
    tokens = shlex.split(exec_start)
    assert tokens[0].startswith("/")  # systemd wants an absolute path
    invocation = parse_invocation(tokens)
    assert invocation.command == "secrets"
    assert invocation.options["--format"] == ["prometheus"]
    (output,) = invocation.options["--output"]
    (post,) = service["Service"]["ExecStartPost"]
    assert shlex.split(post)[1:] == [output, output.removesuffix(".tmp")]  # atomic rename for the collector
    assert service["Service"]["SuccessExitStatus"] == ["1"]
    assert Path(output).parent.as_posix() in service["Service"]["ReadWritePaths"][0]
    assert timer["Timer"]["Unit"] == ["oauthlint-secrets.service"]
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 06:00:00"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]


# --- the checker itself ----------------------------------------------------------------------------------------


def test_the_checker_rejects_what_the_cli_would() -> None:
    with pytest.raises(AssertionError, match="unknown command"):
        parse_invocation(["oauthlint", "lint"])
    with pytest.raises(AssertionError, match="has no option --formats"):
        parse_invocation(["oauthlint", "check", "--formats", "sarif"])
    with pytest.raises(AssertionError):
        parse_invocation(["oauthlint", "check", "--format", "xml"])
    with pytest.raises(ValueError, match="invalid duration"):
        parse_invocation(["oauthlint", "secrets", "--within", "soon"])
    flags = parse_invocation(["oauthlint", "secrets", "--owners", "--within", "30d"])
    assert flags.options == {"--owners": [None], "--within": ["30d"]}


def _examples() -> list[Any]:
    return sorted(p.name for p in EXAMPLES.rglob("*") if p.is_file())


def test_every_example_is_tested() -> None:
    assert _examples() == [
        "github-actions.yml",
        "gitlab-ci.yml",
        "kubernetes-cronjob.yaml",
        "oauthlint-secrets.service",
        "oauthlint-secrets.timer",
    ]
