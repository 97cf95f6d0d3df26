"""Start-up cost: `oauthlint --help` against `python -c "import typer"` (goal: at most 3x).

Run: .venv/bin/python bench/startup.py  (prints medians of 15 runs each)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def median_seconds(argv: list[str]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    baseline = median_seconds([sys.executable, "-c", "import typer"])
    help_time = median_seconds([sys.executable, "-m", "oauthlint", "--help"])
    rules_time = median_seconds([sys.executable, "-m", "oauthlint", "rules"])
    print(f"python -c 'import typer'   {baseline * 1000:7.1f} ms")
    print(f"oauthlint --help           {help_time * 1000:7.1f} ms  ({help_time / baseline:.2f}x, goal <= 3x)")
    print(f"oauthlint rules            {rules_time * 1000:7.1f} ms  ({rules_time / baseline:.2f}x)")


if __name__ == "__main__":
    main()
