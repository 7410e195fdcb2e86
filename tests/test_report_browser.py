"""The HTML report as a real browser shows it: headless Chromium (Debian's), with and without
script, wide and narrow, on screen and in print. Nothing here is timed (see benchmarks/)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, chromium

from dedup.config import ScanConfig
from dedup.pipeline import scan
from dedup.records import Report
from dedup.report import write_report

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

HOSTILE = [
    "<script>window.pwned = 1; alert('x')</script> Les forces du gouvernement ont repoussé.",
    '"><img src=x onerror="window.pwned=2"> Les forces du gouvernement ont repoussé une attaque.',
    "{{ 7 * 7 }} ${7*7} <b>gras</b> &amp; &lt;i&gt; Les forces du gouvernement ont repoussé.",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Visit:
    """A page opened in a fresh context, with what it logged, asked for and popped up."""

    def __init__(self, browser: Any, path: Path, *, script: bool = True, width: int = 1280) -> None:
        self.context = browser.new_context(
            java_script_enabled=script, viewport={"width": width, "height": 900}
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri(), wait_until="load")

    def texts(self, selector: str) -> list[str]:
        return [t.strip() for t in self.page.locator(selector).all_inner_texts()]

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_(path: Path, **options: Any) -> Visit:
        opened.append(Visit(browser, path, **options))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()


def report_file(report: Report, folder: Path, name: str) -> Path:
    path = folder / name
    write_report(report, "html", str(path))
    return path


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory, seed_report: Report) -> Path:
    return report_file(seed_report, tmp_path_factory.mktemp("html"), "seed.html")


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_the_seed_report_reads_the_same_with_and_without_script(
    visit: Any, seed_page: Path, script: bool
) -> None:
    page = visit(seed_page, script=script)
    assert page.page.evaluate("document.documentElement.lang") == "fr"
    # By the words a consolidated copy cuts: 72 (line 27), 60 (line 26), 47 (line 28).
    assert page.page.locator("details.cluster").evaluate_all("els => els.map(e => e.id)") == [
        "c2",
        "c1",
        "c3",
    ]
    near = page.page.locator("details.cluster.k-near")
    # Line 26 drops one letter of line 11: the word struck, its replacement marked.
    assert "libyennes" in near.locator(".r-near del").all_inner_texts()
    assert "libyenne" in near.locator(".r-near ins").all_inner_texts()
    source = near.locator(".member.source")
    assert "fixtures/anadolu-libye-fr.txt:11" in source.inner_text()
    assert page.page.locator("details.cluster.k-exact .member.same").count() == 2
    assert page.errors == []
    assert page.dialogs == []
    assert page.requests == [seed_page.as_uri()]


def test_script_builds_exactly_what_the_page_shows_without_it(visit: Any, seed_page: Path) -> None:
    pages = [visit(seed_page, script=True), visit(seed_page, script=False)]
    rows = "details.dispatch, details.cluster, details.group, p.quiet"
    for page in pages:
        page.page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
    with_script, without = ([e.strip() for e in p.texts(rows)] for p in pages)
    assert with_script == without
    assert len(with_script) == 3 + 3 + 1 + 3  # dispatches, clusters, quiet group and rows


def test_the_filter_box_and_kind_chips(visit: Any, seed_page: Path) -> None:
    page = visit(seed_page).page
    page.fill("#filter", "Mitiga")
    page.press("#filter", "Enter")
    visible = page.locator("details.dispatch:visible, details.cluster:visible")
    assert 1 <= visible.count() < page.locator("details.dispatch, details.cluster").count()
    visible.evaluate_all("els => els.forEach(e => e.open = true)")
    for text in visible.evaluate_all("els => els.map(e => e.textContent)"):
        assert "mitiga" in text.lower()
    assert page.locator("#shown").inner_text().startswith("showing ")
    page.fill("#filter", "")
    page.press("#filter", "Escape")
    page.click(".chip[data-kind='exact']")
    assert page.locator("details.cluster:visible").evaluate_all("els => els.map(e => e.id)") == [
        "c1"
    ]
    page.fill("#filter", "kind:exact")
    page.press("#filter", "Enter")
    assert page.locator("details.cluster:visible").count() == 0  # exact is switched off


def test_keys_reach_a_cluster_and_open_it(visit: Any, seed_page: Path) -> None:
    page = visit(seed_page).page
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "filter"
    page.locator("#clusters-title").click()
    page.keyboard.press("j")
    focused = page.evaluate("document.activeElement.parentElement.id")
    assert focused == "c2"
    page.keyboard.press("o")
    assert page.evaluate("document.getElementById('c2').open") is False
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('c2').open") is True
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.parentElement.id") == "c1"


def test_a_copy_links_to_its_source_and_side_by_side(visit: Any, seed_page: Path) -> None:
    page = visit(seed_page).page
    dispatch = page.locator("details.dispatch").first
    dispatch.locator("summary").click()
    mark = dispatch.locator("li.removed .mark a").first
    target = mark.get_attribute("href")
    mark.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(target).is_visible()
    button = page.locator("details.cluster.k-near button.sides").last
    button.click()
    view = page.locator("details.cluster.k-near .sbs")
    assert view.locator("h4").all_inner_texts() == ["SOURCE", "COPY"]
    assert view.locator(".context").count() >= 2  # neighbouring paragraphs on both sides
    assert view.locator("ins").count() >= 1


def test_print_shows_closed_sections(visit: Any, seed_page: Path) -> None:
    for script in (True, False):
        page = visit(seed_page, script=script).page
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        text = page.locator("#c2 .member.source .text")
        assert text.evaluate("e => e.checkVisibility()") is True
        assert page.locator("nav.bar").is_hidden()


def test_phone_width_stacks_and_starts_with_text(visit: Any, seed_page: Path) -> None:
    page = visit(seed_page, width=390).page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    lede = page.locator(".lede").bounding_box()
    assert lede is not None and lede["y"] < 300
    page.locator("#c1").scroll_into_view_if_needed()
    where = page.locator("#c1 .member.source .where").bounding_box()
    text = page.locator("#c1 .member.source .text").bounding_box()
    assert where is not None and text is not None
    assert text["y"] >= where["y"] + where["height"] - 1  # stacked, not side by side


def hostile_corpus(folder: Path) -> Path:
    records = [
        {"id": f'<b id="x">{n}', "title": f"<i onmouseover=alert(1)>{n}</i>", "text": text}
        for n, text in enumerate(HOSTILE)
    ]
    records += [{**r, "id": r["id"] + "'again", "date": "2020-01-02"} for r in records]
    path = folder / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_hostile_input_stays_text(visit: Any, tmp_path: Path, script: bool) -> None:
    report = scan([str(hostile_corpus(tmp_path))], ScanConfig())
    assert report.clusters
    page = visit(report_file(report, tmp_path, "hostile.html"), script=script)
    for details in page.page.locator("details").all():
        details.evaluate("e => e.open = true")
    shown = page.page.locator("body").inner_text()
    for text in HOSTILE:
        assert text in shown
    assert "<i onmouseover=alert(1)>0</i>" in shown
    assert page.page.evaluate("window.pwned") is None
    assert page.page.locator("main img, main script, main b#x").count() == 0
    assert page.dialogs == []
    assert page.errors == []
    assert len(page.requests) == 1  # the page itself: no image, script or link was fetched


def test_the_reuters_excerpt(visit: Any, tmp_path: Path, excerpt_report: Report) -> None:
    path = report_file(excerpt_report, tmp_path, "excerpt.html")
    page = visit(path)
    ids = page.page.locator("details.cluster").evaluate_all("els => els.map(e => e.id)")
    assert sorted(ids) == sorted(c.id for c in excerpt_report.clusters)
    # Re-sent dispatches are one line each, naming the dispatch they repeat.
    resends = page.texts("details.dispatch > summary .resend")
    assert resends and all(r.startswith("repeats «") and "paragraphs" in r for r in resends)
    # A removed paragraph's link leads to its source, built and opened on the way.
    first = page.page.locator("details.dispatch").first
    first.locator("summary").click()
    link = first.locator("li.removed .mark a").first
    target = link.get_attribute("href")
    link.click()
    assert page.page.locator(target).is_visible()
    assert page.page.evaluate("document.documentElement.lang") == "en"
    assert page.errors == [] and page.requests == [path.as_uri()]


def sources_and_copies(page: Any) -> list[tuple[str, list[str]]]:
    page.locator("details.cluster").evaluate_all("els => els.forEach(e => e.open = true)")
    return page.locator("details.cluster").evaluate_all(
        """els => els.map(e => [e.querySelector('.member.source .loc').textContent,
            Array.from(e.querySelectorAll('.member.copy .loc, .member.same .loc'))
                .map(l => l.textContent)])"""
    )


def locations(report: Report) -> list[tuple[str, list[str]]]:
    """Per cluster: where its canonical member is, and where its other members are."""
    found = []
    for cluster in report.clusters:
        place = [f"{m.paragraph.source}:{m.paragraph.line}" for m in cluster.members]
        found.append((place[cluster.canonical], place))
    return found


def test_source_and_copy_follow_the_canonical_member(
    visit: Any, tmp_path: Path, seed_report: Report
) -> None:
    # The canonical member listed second: the page must not take the first for the source.
    cluster = seed_report.clusters[0]
    swapped = replace(
        cluster, members=(cluster.members[1], cluster.members[0], *cluster.members[2:]), canonical=1
    )
    report = replace(seed_report, clusters=(swapped,))
    page = visit(report_file(report, tmp_path, "swapped.html")).page
    ((source, copies),) = sources_and_copies(page)
    ((canonical, members),) = locations(report)
    assert source.endswith(canonical)
    assert sorted(members) == sorted([canonical, *(c.split(" · ")[-1] for c in copies)])


def test_clough_sources_and_copies(visit: Any, tmp_path: Path, shared_corpora: Path) -> None:
    report = scan([str(shared_corpora / "clough-stevenson")], ScanConfig())
    assert any(c.canonical != 0 for c in report.clusters)
    page = visit(report_file(report, tmp_path, "clough.html")).page
    shown = sorted((source, sorted(copies)) for source, copies in sources_and_copies(page))
    expected = sorted(
        (canonical, sorted(m for m in members if m != canonical))
        for canonical, members in locations(report)
    )
    assert shown == expected


def large_corpus(folder: Path, dispatches: int = 700, resent: int = 350) -> Path:
    rng = random.Random(3)
    vocabulary = [f"{rng.choice('bcdfglmnprst')}{rng.choice('aeiou')}{n}" for n in range(5000)]

    def paragraph() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(18)) + "."

    records = [
        {
            "id": f"w{n}",
            "title": f"Dispatch {n}",
            "date": f"2024-01-01T{n // 60:02d}:{n % 60:02d}:00",
            "paragraphs": [paragraph() for _ in range(3)],
        }
        for n in range(dispatches)
    ]
    records += [
        {**records[n], "id": f"w{n}-again", "date": "2024-01-02T00:00:00"} for n in range(resent)
    ]
    path = folder / "large.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def large_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    folder = tmp_path_factory.mktemp("large")
    report = scan([str(large_corpus(folder))], ScanConfig())
    return report_file(report, folder, "large.html"), report


def test_a_large_report_builds_rows_as_they_are_needed(
    visit: Any, large_page: tuple[Path, Report]
) -> None:
    path, report = large_page
    page = visit(path).page
    rows = len(report.clusters) + len(report.documents)
    built = page.locator("details.dispatch, details.cluster, p.quiet").count()
    assert built < rows / 4
    # A paragraph of the last dispatch, in a chunk not built yet: the link builds and opens it.
    anchor = page.evaluate(
        '/id="(d\\d+)"/.exec('
        "document.querySelector('.dispatches > .chunk:last-child > noscript').textContent)[1]"
    )
    target = f"{anchor}p2"
    page.evaluate(f"location.hash = '#{target}'")
    page.wait_for_function(f"document.getElementById('{target}') !== null")
    assert page.locator(f"#{target}").is_visible()
    # Sorted by time, the earliest dispatch comes first; by share again, the largest share.
    page.evaluate("scrollTo(0, 0)")
    page.click(".sort button[data-sort='time']")
    page.locator("#dispatches").scroll_into_view_if_needed()
    # Dispatch 1 (w0, the earliest) ran again as w0-again: it is listed, and first by time.
    assert page.locator("details.dispatch").first.get_attribute("data-order") == "1"
    page.click(".sort button[data-sort='share']")
    page.locator("#dispatches").scroll_into_view_if_needed()
    assert page.locator("details.dispatch").first.get_attribute("data-share") == "1.0000"
    # The filter finds a row that is not built yet, and only it.
    page.fill("#filter", "w349-again")
    page.press("#filter", "Enter")
    visible = page.locator("details.dispatch:visible")
    # Rows not built yet are built and filtered as the page gets to them: wait for it.
    from playwright.sync_api import expect

    expect(visible).to_have_count(1)
    assert "w349-again" in (visible.text_content() or "")
