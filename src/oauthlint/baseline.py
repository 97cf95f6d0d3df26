"""Baselines: adopt the gate without fixing everything first.

``--write-baseline FILE`` records today's findings by their stable fingerprint (rule, provider, scope, object
id, integration; never message text or dates). ``--baseline FILE`` then moves every finding whose fingerprint
is recorded out of ``Report.findings`` into ``Report.suppressed`` (with the reason ``baseline FILE``), so the
exit code, ``--fail-on`` and every format only see new findings, while JSON, SARIF (as an external
suppression), JUnit (skipped) and the summaries still count the old ones. ``OL005`` (a provider could not
be asked) is never recorded and never baselined: that would be a silent pass forever. Baseline entries that no longer
match a finding of an integration in this run are listed in ``Report.unused_suppressions``: the finding was
fixed and the entry can go (write the baseline again).

File format (JSON, sorted, so that it diffs well in review)::

    {"version": 1, "tool": "oauthlint 0.1.0", "generated_at": "2026-11-25T12:00:00+00:00",
     "fingerprints": [{"fingerprint": "c1f53fb313ccb79c", "rule": "OL001", "integration": "sales-dashboard"}]}

``rule`` and ``integration`` are for humans reading the file; only ``fingerprint`` is matched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from oauthlint import __version__
from oauthlint.config import Suppression
from oauthlint.engine import Report, SuppressedFinding
from oauthlint.errors import UsageError

VERSION = 1
NEVER_BASELINED = frozenset({"OL005"})
_FINGERPRINT = re.compile(r"^[0-9a-f]{8,64}$")


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    rule: str = ""
    integration: str = ""


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: tuple[BaselineEntry, ...]
    generated_at: str = ""

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


def baseline_dict(report: Report) -> dict[str, Any]:
    entries = {
        f.fingerprint: {"fingerprint": f.fingerprint, "rule": f.code, "integration": f.integration}
        for f in report.findings
        if f.code not in NEVER_BASELINED
    }
    ordered = sorted(entries.values(), key=lambda e: (e["integration"], e["rule"], e["fingerprint"]))
    return {
        "version": VERSION,
        "tool": f"oauthlint {__version__}",
        "generated_at": report.generated_at.isoformat(),
        "fingerprints": ordered,
    }


def write_baseline(report: Report, path: Path) -> int:
    """Record the report's (unsuppressed) findings; returns how many fingerprints were written.

    Written atomically (a temporary file in the same directory, then renamed), so a failed run never leaves
    half a baseline behind. Raises :class:`UsageError` (one line) when the file cannot be written.
    """
    data = baseline_dict(report)
    text = json.dumps(data, indent=2) + "\n"
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(f"--write-baseline: cannot write {path}: {exc.strerror or exc}") from None
    return len(data["fingerprints"])


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file; every problem is a one-line :class:`UsageError`."""
    where = f"--baseline {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{where}: no such file; create it with --write-baseline {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a JSON object written by --write-baseline")
    version = data.get("version")
    if version != VERSION:
        raise UsageError(f"{where}: version: expected {VERSION}, got {version!r}")
    raw = data.get("fingerprints")
    if not isinstance(raw, list):
        raise UsageError(f"{where}: fingerprints: expected a list")
    entries = []
    for index, item in enumerate(raw):
        if isinstance(item, str):  # a hand-written list of plain fingerprints is fine too
            item = {"fingerprint": item}
        fingerprint = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fingerprint, str) or not _FINGERPRINT.match(fingerprint):
            raise UsageError(f"{where}: fingerprints[{index}]: expected a hex fingerprint as oauthlint writes it")
        entries.append(BaselineEntry(fingerprint, str(item.get("rule", "")), str(item.get("integration", ""))))
    generated = data.get("generated_at")
    return Baseline(path, tuple(entries), generated if isinstance(generated, str) else "")


def apply_baseline(report: Report, path: Path) -> Report:
    """A copy of ``report`` in which findings recorded in the baseline are suppressed (reason: the baseline)."""
    baseline = load_baseline(path)
    known = baseline.fingerprints
    recorded = _day(baseline.generated_at)
    reason = f"baseline {path}" + (f" (recorded {recorded})" if recorded else "")
    findings = []
    suppressed = list(report.suppressed)
    matched: set[str] = set()
    for finding in report.findings:
        if finding.fingerprint in known and finding.code not in NEVER_BASELINED:
            matched.add(finding.fingerprint)
            suppression = Suppression(
                rule=finding.code,
                reason=reason,
                integration=finding.integration,
                fingerprint=finding.fingerprint,
                where=str(path),
            )
            suppressed.append(SuppressedFinding(finding, suppression))
        else:
            findings.append(finding)
    names = {i.name for i in report.integrations}
    already = {s.finding.fingerprint for s in report.suppressed}
    stale = [
        Suppression(
            rule=entry.rule or "?",
            reason="baseline entry",
            integration=entry.integration or None,
            fingerprint=entry.fingerprint,
            where=f"{path} ({entry.integration} {entry.fingerprint})",
        )
        for entry in baseline.entries
        if entry.fingerprint not in matched and entry.fingerprint not in already and entry.integration in names
    ]
    return replace(
        report,
        findings=findings,
        suppressed=suppressed,
        unused_suppressions=[*report.unused_suppressions, *stale],
    )


def _day(text: str) -> str:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return ""
