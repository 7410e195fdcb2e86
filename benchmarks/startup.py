"""Start-up: how long a whole ``dedup`` process takes on a small input, warm and cold.

A pre-commit hook or a CI job on a small repository pays start-up on every
run: interpreter, library imports, loading (or compiling) the compiled
kernels. Measured here as whole processes:

- ``help``: ``dedup --help`` (no heavy import may happen);
- ``warm``: ``dedup scan`` of the seed fixture with numba's cache filled (a
  second run on the same machine);
- ``cold``: the same with an empty numba cache (``NUMBA_CACHE_DIR`` set to a
  fresh folder): the first run after ``pip install .``, as on a fresh CI
  runner.

Each is run ``--repeat`` times; the median is reported beside the target.
The exit status is always 0: this is a measurement.

Usage::

    python benchmarks/startup.py [--repeat 5] [--input fixtures/anadolu-libye-fr.txt]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from common import PROJECT_ROOT, RESULTS_DIR, dedup_command, run_measured

SEED = PROJECT_ROOT / "fixtures" / "anadolu-libye-fr.txt"
#: Whole-process targets in seconds.
TARGETS = {"help": 0.5, "warm": 1.5, "cold": 4.0}


def measure(command: list[str], repeat: int, cold: bool) -> tuple[list[float], float]:
    """Wall times of ``repeat`` runs, and the peak memory (MB) of the last."""
    times = []
    peak = 0.0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="dedup-numba-") as cache:
            env = {"NUMBA_CACHE_DIR": cache} if cold else {}
            measured = run_measured(command, timeout_s=300, cwd=PROJECT_ROOT, env=env)
        if measured.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{measured.stderr}")
        times.append(measured.wall_s)
        peak = measured.peak_rss_mb
    return times, peak


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the start-up table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--input", type=Path, default=SEED)
    args = parser.parse_args(argv)
    dedup, reason = dedup_command()
    if dedup is None:
        print(f"skipped: {reason}")
        return 0
    with tempfile.TemporaryDirectory(prefix="dedup-startup-") as folder:
        report = str(Path(folder) / "report.json")
        scan = [*dedup, "scan", str(args.input), "--format", "json", "--output", report]
        run_measured(scan, timeout_s=300, cwd=PROJECT_ROOT)  # fills the numba cache
        rows = {
            "help": measure([*dedup, "--help"], args.repeat, cold=False),
            "warm": measure(scan, args.repeat, cold=False),
            "cold": measure(scan, args.repeat, cold=True),
        }
    print("| case | median s | min s | max s | peak MB | target s | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    results = {}
    for name, (times, peak) in rows.items():
        median = statistics.median(times)
        verdict = "PASS" if median <= TARGETS[name] else "FAIL"
        print(
            f"| {name} | {median:.2f} | {min(times):.2f} | {max(times):.2f} | {peak:.0f} "
            f"| {TARGETS[name]:.1f} | {verdict} |"
        )
        results[name] = {"times": times, "median": median, "peak_mb": peak}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "startup.json"
    out.write_text(json.dumps({"input": str(args.input), **results}, indent=2) + "\n")
    print(f"\nresults: {out.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
