"""HTML report benchmark: how fast a large report is written and opens in a real browser, and
how fast the word differences are on huge paragraphs. Nothing here is a test.

``load`` (default; corpus: ``../shared/corpora/reuters21578.jsonl``)
    scans the corpus once, writes the HTML report (timed), then opens it in
    headless Chromium (``tests/browser.py``: Debian's ``chromium``, no network)
    with script on and, side by side, with script off (where the parser
    builds every row and body at once). For each: the time to the ``load``
    event (Navigation Timing), and the renderer's peak resident memory
    (``VmHWM`` of its process) after load, after scrolling to the end of the
    page, and after opening 200 clusters and filtering.
``diff``
    word differences of two near-duplicate paragraphs (150 words changed)
    and of two unrelated ones, from 10,000 to 100,000 words drawn with the
    word frequencies of running text (Zipf's law): dedup's
    (RapidFuzz alignment) beside ``difflib.SequenceMatcher`` on the same
    words (difflib only up to 20,000: it grows quadratically).
``screenshots``
    PNG screenshots of the seed's report, wide (1280 px) and narrow (390 px),
    into ``reports/`` (the ones the README shows).

Examples::

    python benchmarks/html_report.py load --repeat 2
    python benchmarks/html_report.py diff
    python benchmarks/html_report.py screenshots
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import DEFAULT_CORPUS, PROJECT_ROOT, RESULTS_DIR, peak_memory_mb

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from browser import chromium

SEED = PROJECT_ROOT / "fixtures" / "anadolu-libye-fr.txt"


def renderers() -> set[int]:
    """The process ids of Chromium renderers started by this process."""
    import psutil

    found = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "--type=renderer" in child.cmdline():
                found.add(child.pid)
        except psutil.Error:
            continue
    return found


@contextmanager
def opened(browser: Any, path: Path, *, script: bool, width: int = 1280) -> Iterator[Any]:
    """A page of ``path`` loaded in a fresh context; ``page.renderer`` is the process id of
    the renderer it got (Chromium starts one per context)."""
    before = renderers()
    context = browser.new_context(
        java_script_enabled=script, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=600_000)
        page.renderer = max(renderers() - before, default=0)
        yield page
    finally:
        context.close()


def measure_load(browser: Any, path: Path, *, script: bool) -> dict[str, float]:
    """Load time and the renderer's peak memory after load, scrolling and use."""
    with opened(browser, path, script=script) as page:
        load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
        figures = {"load s": load / 1000, "after load MB": peak_memory_mb(page.renderer)}
        for _ in range(400):  # to the end, a screen at a time, letting rows be built
            done = page.evaluate(
                "window.scrollBy(0, innerHeight * 3), "
                "innerHeight + scrollY >= document.body.scrollHeight - 2"
            )
            page.wait_for_timeout(20)
            if done:
                break
        figures["after scrolling MB"] = peak_memory_mb(page.renderer)
        page.evaluate(
            "Array.from(document.querySelectorAll('details.cluster')).slice(0, 200)"
            ".forEach(d => d.open = true)"
        )
        if script:
            page.fill("#filter", "dividend")
            page.press("#filter", "Enter")
        figures["after use MB"] = peak_memory_mb(page.renderer)
        return figures


def load(corpus: Path, repeat: int) -> None:
    """Write the corpus's HTML report and open it, script on and off, ``repeat`` times."""
    from dedup.config import ScanConfig
    from dedup.pipeline import scan
    from dedup.report import write_report

    if not corpus.is_file():
        print(f"skipped: {corpus} is not there")
        return
    report = scan([str(corpus)], ScanConfig())
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{corpus.stem}.html"
    started = time.perf_counter()
    write_report(report, "html", str(path))
    written = time.perf_counter() - started
    print(
        f"{corpus.name}: {len(report.documents):,} dispatches, {len(report.clusters):,} clusters;"
        f" HTML written in {written:.2f} s, {path.stat().st_size / 2**20:.1f} MB"
    )
    print(
        f"{'run':>3}  {'script':<6} {'load s':>7} {'after load MB':>14} "
        f"{'after scrolling MB':>19} {'after use MB':>13}"
    )
    with chromium() as browser:
        for run in range(1, repeat + 1):
            for script in (True, False):
                f = measure_load(browser, path, script=script)
                print(
                    f"{run:>3}  {'on' if script else 'off':<6} {f['load s']:>7.2f} "
                    f"{f['after load MB']:>14.0f} {f['after scrolling MB']:>19.0f} "
                    f"{f['after use MB']:>13.0f}"
                )


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def diff(sizes: list[int], difflib_limit: int) -> None:
    """Word differences of huge paragraphs, dedup's beside difflib's."""
    from dedup.report.diff import word_diff

    rng = random.Random(7)
    # Word frequencies as in running text (Zipf): a few words ("the", "of")
    # everywhere, which is what makes difflib's matcher quadratic.
    vocabulary = [f"w{n}" for n in range(20_000)]
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    print(f"{'words':>8} {'pair':<10} {'dedup s':>8} {'difflib s':>10} {'ratio':>7}")
    for size in sizes:
        source = rng.choices(vocabulary, weights, k=size)
        near = list(source)
        for position in rng.sample(range(size), 150):
            near[position] = f"new{position}"
        unrelated = rng.choices(vocabulary, weights, k=size)
        for name, copy in (("near", near), ("unrelated", unrelated)):
            ours = timed(lambda c=copy, s=source: word_diff(" ".join(c), " ".join(s)))
            theirs = float("nan")
            if size <= difflib_limit:
                matcher = difflib.SequenceMatcher(a=source, b=copy, autojunk=False)
                theirs = timed(matcher.get_opcodes)
            ratio = theirs / ours if theirs == theirs else float("nan")
            print(f"{size:>8,} {name:<10} {ours:>8.2f} {theirs:>10.2f} {ratio:>7.0f}")


def screenshots(folder: Path) -> None:
    """The seed's report, wide and narrow, as the README shows it."""
    from dedup.config import ScanConfig
    from dedup.pipeline import scan
    from dedup.report import write_report

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page_path = RESULTS_DIR / "seed.html"
    # Scanned by its path from the project root, as the README's quick start does.
    os.chdir(PROJECT_ROOT)
    report = scan([str(SEED.relative_to(PROJECT_ROOT))], ScanConfig())
    write_report(report, "html", str(page_path))
    with chromium() as browser:
        for name, width in (("wide", 1280), ("narrow", 390)):
            with opened(browser, page_path, script=True, width=width) as page:
                target = folder / f"seed-example-{name}.png"
                page.click("details.dispatch >> nth=0 >> summary")  # a consolidated dispatch
                # The whole page in the viewport: rows off screen are not painted
                # (content-visibility), so a "full page" capture would miss them.
                height = page.evaluate("document.documentElement.scrollHeight")
                page.set_viewport_size({"width": width, "height": height})
                page.screenshot(path=str(target))
                print(f"{target.relative_to(PROJECT_ROOT)}: {target.stat().st_size:,} bytes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("load", help="the Reuters report: write, open, memory")
    run.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    run.add_argument("--repeat", type=int, default=1)
    words = sub.add_parser("diff", help="word differences of huge paragraphs")
    words.add_argument("--sizes", default="10000,20000,100000")
    words.add_argument("--difflib-limit", type=int, default=20_000)
    shots = sub.add_parser("screenshots", help="the seed's report, wide and narrow")
    shots.add_argument("--folder", type=Path, default=PROJECT_ROOT / "reports")
    args = parser.parse_args()
    if args.command == "diff":
        diff([int(s) for s in args.sizes.split(",")], args.difflib_limit)
    elif args.command == "screenshots":
        screenshots(args.folder)
    else:
        load(getattr(args, "corpus", DEFAULT_CORPUS), getattr(args, "repeat", 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
