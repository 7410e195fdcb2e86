"""The HTML report as a real browser shows it: headless Chromium, no network."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dedup.config import ScanConfig
from dedup.pipeline import scan
from dedup.report import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SEED = Path(__file__).parents[1] / "fixtures" / "anadolu-libye-fr.txt"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


class _Cells(HTMLParser):
    """Collects section ids and the text of <del> and <ins> marks of a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.marks: dict[str, list[str]] = {"del": [], "ins": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.sections.append(dict(attrs).get("id") or "")
        if tag in self.marks:
            self._open = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.marks[self._open].append(data)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    page = folder / "seed.html"
    write_report(scan([str(SEED)], ScanConfig()), "html", str(page))
    return page


def test_chromium_renders_every_cluster_with_its_differences(
    seed_page: Path, tmp_path: Path
) -> None:
    dom = _chromium("--dump-dom", seed_page.as_uri(), profile=tmp_path / "profile").stdout
    cells = _Cells()
    cells.feed(dom)
    assert cells.sections == ["c1", "c2", "c3"]
    # Line 26 drops one letter of line 11: the browser shows the word struck and replaced.
    assert "libyennes" in cells.marks["del"]
    assert "libyenne" in cells.marks["ins"]


def test_chromium_paints_the_page(seed_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "seed.png"
    _chromium(
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        seed_page.as_uri(),
        profile=tmp_path / "profile",
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # A blank page compresses to a few kilobytes; text, tables and marks do not.
    assert len(data) > 50_000
