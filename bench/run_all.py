"""`make bench`: every benchmark under bench/, one after the other, numbers printed as they come.

Provider benchmarks start local fakes (Azure, Snowflake) or the real Keycloak (downloaded by `make keycloak`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("startup.py", "offline_check.py")


def main() -> int:
    scripts = [HERE / name for name in ORDER] + sorted(
        p for p in HERE.glob("*.py") if p.name not in (*ORDER, "run_all.py") and not p.name.startswith("_")
    )
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
