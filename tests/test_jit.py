"""Compiled kernels run wherever dedup is installed, a writable cache or not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.jit import njit

ROOT = Path(__file__).resolve().parents[1]


def test_a_kernel_without_a_cache_location_is_compiled_in_memory() -> None:
    # Code that numba cannot cache (here: made by exec, with no source file)
    # would raise "no locator available" with cache=True.
    namespace: dict[str, object] = {}
    exec("def double(x):\n    return 2 * x\n", namespace)
    double = njit(namespace["double"])  # type: ignore[arg-type]
    assert double(21) == 42


def _read_only_namespace_works() -> bool:
    """Whether this process may make a mount namespace whose file systems are read-only."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("findmnt") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "--", "true"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not _read_only_namespace_works(),
    reason="needs root, unshare and findmnt to make the install and home read-only",
)
def test_a_scan_runs_where_neither_the_install_nor_a_home_folder_can_be_written(
    seed_path: str,
) -> None:
    # In a private mount namespace every file system holding the interpreter,
    # dedup or a home folder is read-only, and HOME does not exist: numba finds
    # no folder to keep its cache in (not even as root), as for an unprivileged
    # user of a system-wide install.
    import dedup

    places = [Path(dedup.__file__).parent, Path(sys.prefix), Path(sys.base_prefix), Path("/")]
    script = "set -e\n" + "".join(
        f'mount -o remount,bind,ro "$(findmnt -n -o TARGET -T "{place}")"\n' for place in places
    )
    script += f'exec "{sys.executable}" -m dedup scan "{seed_path}"\n'
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/nonexistent",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script],
        env=environment,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1].startswith("6 documents, 31 paragraphs: 3 clusters")
