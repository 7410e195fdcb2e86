"""Shared fixtures: the bundled fixture files, the shared corpora (skipped when absent), scans.

The fixture files live in ``fixtures/`` (see its README for where each comes
from). The shared corpora live next to the project in ``../shared/corpora``
on the maintainers' machines only: tests that need them skip cleanly in a
user's clone.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from dedup.config import ScanConfig
from dedup.pipeline import scan
from dedup.records import Report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

# numba compiles on first call, so no per-example deadline; few examples keep the suite quick.
settings.register_profile("dedup", max_examples=60, deadline=None)
settings.load_profile("dedup")


#: The seed's dispatches: the headline lines that open them (the first has none)
#: and the lines of each dispatch's body paragraphs.
SEED_HEADLINES = [None, 7, 14, 18, 22, 29]
SEED_BODY_LINES = [
    [1, 2, 3, 4, 5, 6],
    [8, 9, 10, 11, 12, 13],
    [15, 16, 17],
    [19, 20, 21],
    [23, 24, 25, 26, 27, 28],
    [30, 31, 32, 33, 34, 35, 36],
]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The bundled ``fixtures/`` folder."""
    return FIXTURES


@pytest.fixture(scope="session")
def seed_path() -> str:
    """The seed fixture: French Anadolu dispatches, one paragraph per line."""
    return str(FIXTURES / "anadolu-libye-fr.txt")


@pytest.fixture(scope="session")
def seed_lines(seed_path: str) -> dict[int, str]:
    """The seed's lines by 1-based number, as a reader strips them."""
    text = Path(seed_path).read_text(encoding="utf-8")
    return {number: line.strip() for number, line in enumerate(text.split("\n"), start=1)}


@pytest.fixture(scope="session")
def seed_report(seed_path: str) -> Report:
    """The seed scanned with default settings."""
    return scan([seed_path], ScanConfig())


@pytest.fixture(scope="session")
def excerpt_path() -> str:
    """About 200 Reuters-21578 dispatches: re-sends, earnings tables, ``Reuter`` sign-offs."""
    return str(FIXTURES / "reuters-excerpt.jsonl")


@pytest.fixture(scope="session")
def excerpt_report(excerpt_path: str) -> Report:
    """The Reuters excerpt scanned with default settings."""
    return scan([excerpt_path], ScanConfig())


@pytest.fixture(scope="session")
def clough_dir() -> Path:
    """Clough-Stevenson task a: the source, a ``cut`` answer and a ``non`` answer."""
    return FIXTURES / "clough"


@pytest.fixture(scope="session")
def cp1252_path() -> str:
    """A real Clough-Stevenson answer saved in Windows-1252 (byte 0x92 for the apostrophe)."""
    return str(FIXTURES / "cp1252" / "g1pB_taska.txt")


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """``../shared/corpora`` next to the project, or a skip when this clone has none."""
    corpora = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"
    if not corpora.is_dir():
        pytest.skip("the shared corpora (../shared/corpora) are not present in this clone")
    return corpora.resolve()


#: The user id an unprivileged test runs as, when the tests run as root.
NOBODY = 65534


@contextmanager
def unprivileged() -> Iterator[None]:
    """Run the block with an ordinary user's file permissions.

    As root (CI runs as root, and root reads every folder), the effective
    user and group become ``nobody`` for the block, so that a folder's
    missing permissions apply; as an ordinary user nothing changes.
    """
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A temporary folder any user may enter (pytest's own are private to their owner)."""
    # Its cleanup gives back the permissions a test took away before removing it.
    with tempfile.TemporaryDirectory(prefix="dedup-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder


#: How deep ``deep_folder`` nests: past Python's recursion limit, as a hostile tree could.
DEPTH = 1000


@pytest.fixture
def deep_folder(tmp_path: Path, seed_path: str) -> Iterator[Path]:
    """``top/d/d/.../d/seed.txt``, ``DEPTH`` folders deep, made and removed without recursion
    (``os.makedirs`` and ``shutil.rmtree`` recurse once per level and cannot)."""
    top = tmp_path / "top"
    top.mkdir()
    levels = [top]
    for _ in range(DEPTH):
        levels.append(levels[-1] / "d")
        levels[-1].mkdir()
    story = levels[-1] / "seed.txt"
    story.write_bytes(Path(seed_path).read_bytes())
    try:
        yield top
    finally:
        story.unlink(missing_ok=True)
        for level in reversed(levels):
            level.rmdir()


# --- Indexes -------------------------------------------------------------------------------

#: The Redis server the index tests use: ``.ci/run`` starts one on loopback and names it
#: here (``redis://127.0.0.1:PORT/0``). Without it, the tests start their own
#: ``redis-server`` when the machine has one.
REDIS_VARIABLE = "DEDUP_TEST_REDIS"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a real Redis server, or a skip when neither one is named nor installed."""
    named = os.environ.get(REDIS_VARIABLE)
    if named:
        yield named
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            f"no Redis server: {REDIS_VARIABLE} is not set and redis-server is not installed "
            "(apt-get install redis-server)"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_index(redis_server: str) -> Iterator[str]:
    """An index URL with a key prefix of its own, whose keys are deleted afterwards."""
    import redis

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield f"{redis_server}?prefix={prefix}"
    client = redis.Redis.from_url(redis_server)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=10_000))
    for start in range(0, len(keys), 10_000):
        client.delete(*keys[start : start + 10_000])
    client.close()


@pytest.fixture(params=["sqlite", "redis"])
def index_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty index: an SQLite file, then a Redis key prefix."""
    if request.param == "redis":
        return str(request.getfixturevalue("redis_index"))
    return str(tmp_path / "desk.db")


# --- Spark ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """A Spark session in local mode (two cores, few shuffle partitions) for the whole run, or
    a skip naming what is missing: pyspark, or a Java runtime."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'dedup[spark]')")
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark (apt-get install openjdk-17-jre-headless)")
    from dedup.spark.session import spark_session

    settings = [("spark.sql.shuffle.partitions", "4"), ("spark.default.parallelism", "2")]
    with spark_session("local[2]", settings) as session:
        yield session
