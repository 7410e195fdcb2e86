"""Speed of ``dedup check`` as a pre-commit hook runs it: on every commit, over a whole
documentation repository.

Generates a git repository of Markdown pages (``--pages``, default 200) in
``benchmarks/data/``: each page one synthetic dispatch (``synthetic.py``)
with front matter, a heading, its paragraphs (whose background paragraphs
recur across a story's pages, as the real ones do), and every few pages a
code block and a table. Then times, side by side in one run, each command
as a whole process (interpreter start-up included), warm: one unmeasured
run of each first, then ``--repeats`` rounds taking the commands in turn.

    python benchmarks/precommit.py                 # 200 pages, 3 rounds
    python benchmarks/precommit.py --pages 1000 --repeats 5
    python benchmarks/precommit.py --stages        # where one warm check's time goes
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from common import DATA_DIR, PROJECT_ROOT, Measurement, run_measured
from speed import dedup_command, environment, write_results
from synthetic import WireCopyGenerator

SEED_FIXTURE = PROJECT_ROOT / "fixtures" / "anadolu-libye-fr.txt"
CODE = "```sh\npip install dedup\ndedup check docs/ --format sarif\n```\n"
TABLE = "| setting | default |\n|---|---|\n| min-words | 8 |\n| num-perm | 128 |\n"


def write_docs_repo(folder: Path, pages: int, seed: int) -> int:
    """Write ``pages`` Markdown pages under ``folder`` as a committed git repository; return
    the number of paragraphs written."""
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    generator = WireCopyGenerator(seed)
    paragraphs = 0
    for number in range(pages):
        dispatch = generator.dispatch()
        body = "\n\n".join(dispatch.paragraphs)
        extra = f"\n{CODE}\n{TABLE}" if number % 5 == 0 else ""
        page = (
            f"---\ntitle: {dispatch.title}\ndate: {dispatch.date}\n---\n\n"
            f"# {dispatch.title}\n\n{body}\n{extra}"
        )
        (docs / f"page-{number:04d}.md").write_text(page, encoding="utf-8")
        paragraphs += len(dispatch.paragraphs)
    env = {**os.environ}
    for who in ("AUTHOR", "COMMITTER"):
        env |= {f"GIT_{who}_NAME": "bench", f"GIT_{who}_EMAIL": "bench@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "docs"]):
        done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"git {args[-1]}: {done.stderr.strip()}")
    return paragraphs


def docs_repo(pages: int, seed: int) -> tuple[Path, int]:
    """The generated repository (made when missing) and its paragraph count."""
    folder = DATA_DIR / f"docs-repo-{pages}-seed{seed}"
    count_file = folder / ".paragraphs"
    if not count_file.exists():
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)
        count = write_docs_repo(folder, pages, seed)
        count_file.write_text(f"{count}\n", encoding="utf-8")
    return folder, int(count_file.read_text(encoding="utf-8"))


def measure(
    commands: dict[str, list[str]], cwd: Path, repeats: int
) -> dict[str, list[Measurement]]:
    """Each command once to warm up, then ``repeats`` rounds of all of them in turn."""
    for command in commands.values():
        run_measured(command, timeout_s=600, cwd=cwd)
    runs: dict[str, list[Measurement]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            measured = run_measured(command, timeout_s=600, cwd=cwd)
            if measured.returncode not in (0, 1):
                raise SystemExit(f"{name}: exit {measured.returncode}: {measured.stderr.strip()}")
            runs[name].append(measured)
    return runs


def stage_times(repo: Path) -> dict[str, float]:
    """Seconds of each stage of one ``dedup check .`` in ``repo``, in this process: what
    ``check`` does, step by step, with the library calls the command makes."""
    started = time.perf_counter()
    times: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        times[stage] = now - started
        started = now

    os.chdir(repo)
    from dedup.config import ScanConfig
    from dedup.readers import expand_paths, read_paths

    lap("import settings and readers")
    config = ScanConfig()
    expand_paths(["."], config.read)
    lap("list the files (git ls-files)")
    documents = list(read_paths(["."], config.read))
    lap("read and segment the pages")
    from dedup.pipeline import scan_documents

    lap("import the engine (scikit-learn, SciPy, numba)")
    report = scan_documents(documents, config)
    lap("find the repeats")
    from dedup.report import render

    render(report, "text")
    lap("write the text report")
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="Markdown pages (default 200)")
    parser.add_argument("--repeats", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--stages", action="store_true", help="time each stage of one check")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages_of is not None:  # the child process of --stages
        print(json.dumps(stage_times(args.stages_of)))
        return 0
    dedup, reason = dedup_command()
    if dedup is None:
        print(reason, file=sys.stderr)
        return 2
    repo, paragraphs = docs_repo(args.pages, args.seed)
    if args.stages:
        return print_stages(repo, args.pages)
    sarif = DATA_DIR / "precommit.sarif"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "dedup --version": [*dedup, "--version"],
        "dedup check SEED": [*dedup, "check", str(SEED_FIXTURE), "--fail-on", "none"],
        f"dedup check . ({args.pages} pages)": [*dedup, "check", ".", "--fail-on", "none"],
        f"dedup check . --format sarif ({args.pages} pages)": [
            *dedup,
            "check",
            ".",
            "--fail-on",
            "none",
            "--format",
            "sarif",
            "-o",
            str(sarif),
        ],
    }
    runs = measure(commands, repo, args.repeats)
    reference = statistics.median(m.wall_s for m in runs["dedup check SEED"])
    print(f"{args.pages} Markdown pages, {paragraphs} paragraphs; {args.repeats} warm rounds\n")
    print("| command | median wall s | min wall s | median cpu s | peak MB | ratio to check SEED |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = []
    for name, measured in runs.items():
        median = statistics.median(m.wall_s for m in measured)
        low = min(m.wall_s for m in measured)
        cpu = statistics.median(m.cpu_s for m in measured)
        peak = max(m.peak_rss_mb for m in measured)
        rows.append(
            {"command": name, "median_s": median, "min_s": low, "cpu_s": cpu, "peak_mb": peak}
        )
        print(
            f"| `{name}` | {median:.2f} | {low:.2f} | {cpu:.2f} | {peak:.0f} "
            f"| {median / reference:.2f} |"
        )
    findings = next(iter(runs[f"dedup check . ({args.pages} pages)"])).stdout.splitlines()[-1]
    print(f"\n{findings}")
    path = write_results(
        f"precommit-{args.pages}",
        {
            "pages": args.pages,
            "paragraphs": paragraphs,
            "rows": rows,
            "summary": findings,
            "environment": environment(),
        },
    )
    print(f"results: {path.relative_to(PROJECT_ROOT)}")
    return 0


def print_stages(repo: Path, pages: int) -> int:
    """Time the stages of a check in a fresh process, once warm (after one unmeasured run)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--stages-of", str(repo)]
    for _ in range(2):
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    times: dict[str, float] = json.loads(done.stdout)
    print(f"`dedup check .` on {pages} pages, one warm run in one process\n")
    print("| stage | s |\n|---|---:|")
    for stage, seconds in times.items():
        print(f"| {stage} | {seconds:.2f} |")
    print(f"| total (interpreter start-up not included) | {sum(times.values()):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
