"""Start-up: what importing the engine loads, and what it leaves importable."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.imports import hidden


def test_hidden_module_fails_to_import_inside_and_imports_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dedup_optional_extra.py").write_text("ANSWER = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with hidden("dedup_optional_extra"), pytest.raises(ImportError):
        importlib.import_module("dedup_optional_extra")
    assert "dedup_optional_extra" not in sys.modules
    assert importlib.import_module("dedup_optional_extra").ANSWER == 42
    del sys.modules["dedup_optional_extra"]


def test_a_loaded_module_stays_usable() -> None:
    import json

    with hidden("json"):
        import json as again

        assert again is json


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_verification_does_not_load_pandas() -> None:
    """scikit-learn would load pandas (a third of a second) for input dedup never gives it;
    pandas is still there for whoever imports it next."""
    code = (
        "import sys, dedup.verify\n"
        "print('pandas' in sys.modules)\n"
        "import pandas\n"
        "print(pandas.DataFrame({'a': [1]}).shape)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "(1,", "1)"]
