"""Shared helpers for the benchmark scripts: corpus loading, the peers' text
preparation (distinct paragraphs, word shingles, figures) and peak-memory
measurement of a child process.

Peak memory is measured by a small launcher process (``python common.py
measure ...``) that spawns the measured command and reads its ``ru_maxrss``
with ``os.wait4``. The indirection matters on Linux: a child's ``ru_maxrss``
starts from the resident size of the process that spawned it (the old address
space is accounted at ``exec``), so a benchmark driver that holds a corpus in
memory would inflate every figure it measures directly. The launcher is a bare
interpreter of about 15 MB: that is the floor of every figure, far below what
the tools measured here use. The launcher also enforces the timeout, so a run
that is cut short still reports how long and how big it got.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl"

MIN_WORDS = 8
SHINGLE_WORDS = 3

_WORD_RE = re.compile(r"\w+")
_DIGITS_RE = re.compile(r"\d+")
# A comma between a digit and exactly three digits is a thousands separator:
# "155,221" is one figure, "3,4" stays two.
_THOUSANDS_COMMA_RE = re.compile(r"(?<=\d),(?=\d{3}\b)")

ParagraphKey = tuple[str, int]
"""(document id, 0-based paragraph index): how dedup's JSON report names a paragraph."""


def iter_records(path: Path) -> Iterator[dict[str, object]]:
    """Yield the JSON records of a JSON Lines file, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{line_number}: not a JSON record: {error}") from error


def record_paragraphs(record: dict[str, object]) -> list[str]:
    """The paragraphs of a dedup JSONL record (``paragraphs`` list or blank-line ``text``)."""
    paragraphs = record.get("paragraphs")
    if isinstance(paragraphs, list):
        return [str(paragraph) for paragraph in paragraphs]
    text = record.get("text")
    if isinstance(text, str):
        return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return []


def load_paragraphs(path: Path, limit: int | None = None) -> list[tuple[ParagraphKey, str]]:
    """Every paragraph of a JSONL corpus as ``((doc id, index), text)``, at most ``limit``."""
    paragraphs: list[tuple[ParagraphKey, str]] = []
    for record in iter_records(path):
        doc = str(record["id"])
        for index, text in enumerate(record_paragraphs(record)):
            if limit is not None and len(paragraphs) >= limit:
                return paragraphs
            paragraphs.append(((doc, index), text))
    return paragraphs


def write_limited_corpus(path: Path, limit: int, output: Path) -> int:
    """Copy the first ``limit`` paragraphs of a JSONL corpus (whole records, the last cut).

    Returns the number of paragraphs written. Paragraph indexes are unchanged,
    so report keys of the copy are keys of the original.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with output.open("w", encoding="utf-8") as handle:
        for record in iter_records(path):
            if written >= limit:
                break
            paragraphs = record_paragraphs(record)[: limit - written]
            kept = {key: value for key, value in record.items() if key != "text"}
            kept["paragraphs"] = paragraphs
            handle.write(json.dumps(kept, ensure_ascii=False) + "\n")
            written += len(paragraphs)
    return written


def normal_form(text: str) -> str:
    """The form under which two paragraphs count as the same: casefolded, spaces collapsed.

    >>> normal_form("  Oil  PRICES\\nrose ")
    'oil prices rose'
    """
    return " ".join(text.casefold().split())


def paragraph_words(text: str) -> list[str]:
    """The casefolded word tokens of a paragraph.

    >>> paragraph_words("Shr 1.20 dlrs, up 5 PCT.")
    ['shr', '1', '20', 'dlrs', 'up', '5', 'pct']
    """
    return _WORD_RE.findall(text.casefold())


def word_shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of word ``size``-grams of a paragraph, words joined by one space.

    >>> sorted(word_shingles("a b c d"))
    ['a b c', 'b c d']
    """
    words = paragraph_words(text)
    return {" ".join(words[start : start + size]) for start in range(len(words) - size + 1)}


def paragraph_figures(text: str) -> tuple[str, ...]:
    """The multiset of digit runs of a paragraph (sorted), thousands commas removed.

    >>> paragraph_figures("Sales 1,250,000 dlrs vs 5.93 mln, items 3,4")
    ('1250000', '3', '4', '5', '93')
    """
    return tuple(sorted(_DIGITS_RE.findall(_THOUSANDS_COMMA_RE.sub("", text))))


@dataclass(slots=True)
class DistinctParagraphs:
    """The distinct paragraphs (by :func:`normal_form`) of ``min_words`` words or more.

    ``texts[i]`` is the first occurrence of distinct paragraph ``i``;
    ``ids_by_key`` maps every copy's (doc, index) key to ``i``; ``short_keys``
    holds the keys of the paragraphs left out for being short.
    """

    texts: list[str] = field(default_factory=list)
    ids_by_key: dict[ParagraphKey, int] = field(default_factory=dict)
    short_keys: set[ParagraphKey] = field(default_factory=set)
    paragraphs: int = 0
    short: int = 0


def distinct_paragraphs(
    paragraphs: Sequence[tuple[ParagraphKey, str]], min_words: int = MIN_WORDS
) -> DistinctParagraphs:
    """Group paragraphs by normal form, keeping those of ``min_words`` words or more."""
    result = DistinctParagraphs(paragraphs=len(paragraphs))
    ids_by_form: dict[str, int] = {}
    for key, text in paragraphs:
        if len(paragraph_words(text)) < min_words:
            result.short += 1
            result.short_keys.add(key)
            continue
        form = normal_form(text)
        distinct_id = ids_by_form.get(form)
        if distinct_id is None:
            distinct_id = ids_by_form[form] = len(result.texts)
            result.texts.append(text)
        result.ids_by_key[key] = distinct_id
    return result


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured child process: exit status, wall and CPU time, peak resident memory.

    ``cpu_s`` is user + system time of the process and the children it waited
    for: above ``wall_s`` when it ran on several cores at once.
    """

    command: list[str]
    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def run_measured(
    command: Sequence[str],
    timeout_s: float | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Measurement:
    """Run ``command`` through the launcher; return its exit status, times and peak RSS.

    The launcher enforces ``timeout_s`` itself (it kills the command and still
    reports how long and how big it got). ``env`` adds to the environment.
    """
    with tempfile.TemporaryDirectory(prefix="dedup-bench-") as tmp:
        tmp_dir = Path(tmp)
        stats_path = tmp_dir / "stats.json"
        launcher = [
            sys.executable,
            str(Path(__file__).resolve()),
            "measure",
            str(stats_path),
            "none" if timeout_s is None else str(timeout_s),
            "--",
        ]
        with (
            (tmp_dir / "stdout").open("w+", encoding="utf-8") as out,
            (tmp_dir / "stderr").open("w+", encoding="utf-8") as err,
        ):
            started = time.perf_counter()
            process = subprocess.Popen(
                [*launcher, *command],
                stdout=out,
                stderr=err,
                cwd=cwd,
                start_new_session=True,
                env={**os.environ, **(env or {})},
            )
            backstop_fired = False
            try:
                # A backstop only: the launcher's own timeout should fire first.
                process.wait(timeout=None if timeout_s is None else timeout_s + 60)
            except subprocess.TimeoutExpired:
                backstop_fired = True
                # The launcher leads its own session: end it and the measured command.
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            elapsed = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if stats_path.exists():
            stats = json.loads(stats_path.read_text(encoding="utf-8"))
            return Measurement(
                list(command),
                int(stats["returncode"]),
                float(stats["wall_s"]),
                float(stats["cpu_s"]),
                stats["max_rss_kb"] / 1024,
                stdout,
                stderr,
                bool(stats["timed_out"]),
            )
    nan = float("nan")
    return Measurement(
        list(command), process.returncode or -1, elapsed, nan, nan, stdout, stderr, backstop_fired
    )


def dedup_command() -> tuple[list[str] | None, str]:
    """How to run dedup here, or None and why not.

    The console script beside this interpreter comes first, then one on PATH,
    then ``python -m dedup``; a candidate counts only if ``--help`` succeeds
    (an installed script whose package does not import yet is not dedup).
    """
    candidates: list[list[str]] = []
    script = Path(sys.executable).parent / "dedup"
    found = shutil.which("dedup")
    if script.exists():
        candidates.append([str(script)])
    elif found:
        candidates.append([found])
    candidates.append([sys.executable, "-m", "dedup"])
    reason = "dedup not installed (run `pip install -e .` in the project root)"
    for command in candidates:
        probe = subprocess.run(
            [*command, "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return command, ""
        if command[0] != sys.executable:
            last_line = (probe.stderr.strip().splitlines() or [f"exit {probe.returncode}"])[-1]
            reason = f"dedup installed but not runnable yet: {last_line}"
    return None, reason


def _measure_main(argv: Sequence[str]) -> int:
    """Launcher: ``measure STATS.json TIMEOUT|none -- COMMAND...``; spawn, wait, write stats."""
    if len(argv) < 4 or argv[2] != "--":
        print(
            "usage: common.py measure STATS.json TIMEOUT_S|none -- COMMAND [ARGS...]",
            file=sys.stderr,
        )
        return 2
    stats_path, timeout, command = Path(argv[0]), argv[1], list(argv[3:])
    started = time.perf_counter()
    try:
        pid = os.posix_spawnp(command[0], command, os.environ)
    except OSError as error:
        print(f"cannot run {command[0]}: {error}", file=sys.stderr)
        return 127
    timed_out = False

    def on_timeout(_signum: int, _frame: object) -> None:
        nonlocal timed_out
        timed_out = True
        os.kill(pid, signal.SIGKILL)

    if timeout != "none":
        signal.signal(signal.SIGALRM, on_timeout)
        signal.setitimer(signal.ITIMER_REAL, float(timeout))
    # wait4 resumes after the alarm handler (PEP 475) and returns once the child is gone.
    _, status, usage = os.wait4(pid, 0)
    wall_s = time.perf_counter() - started
    signal.setitimer(signal.ITIMER_REAL, 0)
    stats = {
        "returncode": os.waitstatus_to_exitcode(status),
        "wall_s": wall_s,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,
        "timed_out": timed_out,
    }
    stats_path.write_text(json.dumps(stats), encoding="utf-8")
    return 0


def vm_hwm_mb() -> float:
    """This process's peak resident memory so far (``VmHWM``), in MB; NaN off Linux."""
    return peak_memory_mb("self")


def peak_memory_mb(pid: int | str) -> float:
    """A process's peak resident memory so far (``VmHWM``), in MB; NaN off Linux."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def human_count(count: int) -> str:
    """A short label for a paragraph count.

    >>> human_count(100_000), human_count(1_000_000), human_count(1234)
    ('100k', '1m', '1234')
    """
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000}m"
    if count % 1_000 == 0:
        return f"{count // 1_000}k"
    return str(count)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "measure":
        sys.exit(_measure_main(sys.argv[2:]))
    print("common.py is a helper module; its only command is `measure`", file=sys.stderr)
    sys.exit(2)
