"""`oauthlint check` over 1,000 generated offline integrations (goal: under 1 s and under 100 MB peak memory).

The integrations cycle through the shipped example snapshots of all three providers, each with its own
snapshot file, so file reading and JSON parsing are measured too. Run: .venv/bin/python bench/offline_check.py
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNT = 1000


def integration(n: int, example: dict[str, object], snapshot: str) -> str:
    lines = [f'[[integrations]]\nname = "bench-{n:04d}"\nsnapshot = "{snapshot}"']
    for key, value in example.items():
        if key not in ("name", "snapshot"):
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "examples" / "oauthlint.toml").read_text())
    examples = [i for i in config["integrations"] if "snapshot" in i]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        body = ['connect_server = "https://connect.example.com"\n']
        for n in range(COUNT):
            example = dict(examples[n % len(examples)])
            source = ROOT / "examples" / str(example["snapshot"])
            target = work / f"snap-{n:04d}.json"
            shutil.copyfile(source, target)
            if "client_secret" in example:
                example["client_secret"] = "${env:BENCH_SECRET}"
            body.append(integration(n, example, target.name))
        path = work / "oauthlint.toml"
        path.write_text("\n".join(body))
        argv = [
            sys.executable,
            "-m",
            "oauthlint",
            "check",
            "--config",
            str(path),
            "--format",
            "json",
            "--fail-on",
            "never",
        ]
        env = {"BENCH_SECRET": "bench-secret-value-0001", "PATH": "/usr/bin:/bin"}
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        elapsed = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"check failed with exit code {done.returncode}")
        summary = json.loads(done.stdout)["summary"]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "oauthlint", "--version"], capture_output=True, env=env, check=True)
        startup = time.perf_counter() - start
    print(
        f"check over {COUNT} offline integrations: {elapsed:.2f} s wall, of which {startup:.2f} s is interpreter and "
        f"CLI start-up; peak RSS {peak_mb:.0f} MB (goals: < 1 s, < 100 MB)"
    )
    print(f"  summary: {summary}")


if __name__ == "__main__":
    main()
