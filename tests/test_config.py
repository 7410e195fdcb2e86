"""Settings: one validation place naming field, value and range; TOML files found and read."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import (
    SETTINGS,
    ScanConfig,
    find_config_file,
    is_text_encoding,
    load_settings,
    validate,
    with_settings,
)
from dedup.errors import ConfigError


def defaults() -> dict[str, object]:
    return ScanConfig().as_params()


def test_every_setting_has_one_flat_name() -> None:
    sections = [getattr(ScanConfig(), f.name) for f in fields(ScanConfig)]
    names = [f.name for section in sections for f in fields(section)]
    assert len(names) == len(set(names))
    assert set(names) == set(SETTINGS) == set(defaults())


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_default_is_valid(name: str) -> None:
    value = defaults()[name]
    assert validate(name, value) == value


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("num_perm", 8, 8),
        ("num_perm", 1024, 1024),
        ("seed", 0, 0),
        ("seed", 2**32 - 1, 2**32 - 1),
        ("lsh_threshold", 1, 1.0),
        ("cosine_threshold", 0.85, 0.85),
        ("shingle_kind", "word", "word"),
        ("scheme", "legacy", "legacy"),
        ("fold_accents", True, True),
        ("sentence_num_perm", 0, 0),
        ("encoding", " utf-8 , latin-1 ", "utf-8,latin-1"),
        ("skip_blocks", "tables, code,code", "code,tables"),
        ("skip_blocks", ["headings", "front-matter"], "front-matter,headings"),
        ("skip_blocks", "", ""),
        ("exclude", "drafts/", ("drafts/",)),
        ("exclude", ["*.rst", "!keep.rst"], ("*.rst", "!keep.rst")),
    ],
    ids=[
        "num-perm-low",
        "num-perm-high",
        "seed-zero",
        "seed-max",
        "threshold-int-one",
        "threshold-float",
        "choice-word",
        "choice-legacy",
        "bool",
        "sentences-off",
        "encoding-list",
        "blocks-sorted-once",
        "blocks-toml-list",
        "blocks-none",
        "exclude-one",
        "exclude-list",
    ],
)
def test_valid_values(name: str, value: object, expected: object) -> None:
    result = validate(name, value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("name", "value", "fragments"),
    [
        ("num_perm", 3, ["num_perm", "8 to 1024", "3"]),
        ("num_perm", 2000, ["num_perm", "2000"]),
        ("num_perm", 64.0, ["num_perm", "64.0"]),
        ("num_perm", True, ["num_perm", "True"]),
        ("num_perm", "128", ["num_perm", "'128'"]),
        ("seed", -1, ["seed", "-1"]),
        ("shingle_size", 0, ["shingle_size", "1 to 32"]),
        ("lsh_threshold", 0, ["lsh_threshold", "(0, 1]"]),
        ("cosine_threshold", 1.5, ["cosine_threshold", "1.5"]),
        ("jaccard_threshold", "high", ["jaccard_threshold", "'high'"]),
        ("shingle_kind", "byte", ["shingle_kind", "char, word", "'byte'"]),
        ("scheme", "affine64", ["scheme", "affine32, legacy"]),
        ("fold_accents", "yes", ["fold_accents", "true or false", "'yes'"]),
        ("encoding", "utf-8,klingon", ["encoding", "klingon"]),
        ("encoding", "", ["encoding"]),
        ("num_perms", 128, ["unknown setting 'num_perms'", "num_perm"]),
        ("skip_blocks", "code,prose", ["skip_blocks", "'prose'", "headings"]),
        ("skip_blocks", 3, ["skip_blocks", "3"]),
        ("exclude", ["ok/", ""], ["exclude", "pattern"]),
        ("exclude", "!", ["exclude", "bad pattern '!'"]),
    ],
    ids=[
        "too-few-perms",
        "too-many-perms",
        "float-for-int",
        "bool-for-int",
        "string-for-int",
        "negative-seed",
        "zero-shingle",
        "zero-threshold",
        "threshold-above-one",
        "string-threshold",
        "unknown-kind",
        "unknown-scheme",
        "string-bool",
        "unknown-encoding",
        "empty-encoding",
        "unknown-setting",
        "unknown-block",
        "blocks-not-text",
        "empty-glob",
        "bad-glob",
    ],
)
def test_invalid_values_name_field_value_and_range(
    name: str, value: object, fragments: list[str]
) -> None:
    with pytest.raises(ConfigError) as raised:
        validate(name, value)
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_with_settings_fills_the_right_sections() -> None:
    base = ScanConfig()
    config = with_settings(base, {"num_perm": 64, "shingle_kind": "word", "check_figures": False})
    assert (config.sketch.num_perm, config.shingle.shingle_kind) == (64, "word")
    assert config.verify.check_figures is False
    assert config.sketch.seed == base.sketch.seed
    assert base == ScanConfig()  # the original is untouched (frozen)
    assert with_settings(base, {}) == base


def test_with_settings_rejects_the_whole_change_on_one_bad_value() -> None:
    with pytest.raises(ConfigError, match="num_perm"):
        with_settings(ScanConfig(), {"shingle_size": 3, "num_perm": 3})


@pytest.mark.parametrize(
    ("files", "start", "found"),
    [
        ({"dedup.toml": "num_perm = 64\n"}, ".", "dedup.toml"),
        ({"pyproject.toml": "[tool.dedup]\nnum_perm = 64\n"}, ".", "pyproject.toml"),
        ({"pyproject.toml": "[tool.other]\nx = 1\n"}, ".", None),
        (
            {"dedup.toml": "seed = 2\n", "pyproject.toml": "[tool.dedup]\nseed = 3\n"},
            ".",
            "dedup.toml",
        ),
        ({"dedup.toml": "seed = 2\n", "wire/today/.keep": ""}, "wire/today", "dedup.toml"),
        (
            {"dedup.toml": "seed = 2\n", "desk/pyproject.toml": "[tool.dedup]\nseed = 3\n"},
            "desk",
            "desk/pyproject.toml",
        ),
    ],
    ids=[
        "dedup-toml",
        "pyproject-tool-table",
        "pyproject-without-table",
        "dedup-toml-first",
        "found-in-a-parent",
        "nearest-wins",
    ],
)
def test_find_config_file(
    tmp_path: Path, files: dict[str, str], start: str, found: str | None
) -> None:
    root = tmp_path / "project"
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    (root / start).mkdir(parents=True, exist_ok=True)
    result = find_config_file(root / start)
    assert result == (root / found if found else None)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "dedup.toml",
            'num-perm = 64\nshingle_kind = "word"\n',
            {"num_perm": 64, "shingle_kind": "word"},
        ),
        (
            "pyproject.toml",
            "[project]\nname = 'x'\n[tool.dedup]\nfold-accents = true\n",
            {"fold_accents": True},
        ),
        ("pyproject.toml", "[project]\nname = 'x'\n", {}),
    ],
    ids=["dedup-toml-dashes", "pyproject-table", "pyproject-no-table"],
)
def test_load_settings(
    tmp_path: Path, name: str, content: str, expected: dict[str, object]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_settings(path) == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dedup.toml", "num_perm = \n", "cannot read settings"),
        ("pyproject.toml", "[tool]\ndedup = 3\n", "must be a table"),
    ],
    ids=["broken-toml", "tool-dedup-not-a-table"],
)
def test_bad_settings_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


@pytest.mark.parametrize(
    ("settings", "fragments"),
    [
        ({"false_positive_weight": 0.3}, ["false_positive_weight (0.3)", "must sum to 1"]),
        ({"lsh_threshold": 1}, ["num_perm 128", "lsh_threshold 1", "at least 2 bands"]),
        ({"sentence_num_perm": 1}, ["sentence_num_perm 1", "at least 2 bands", "set it to 0"]),
        ({"num_perm": 32}, ["sentence_num_perm (64) cannot exceed num_perm (32)"]),
    ],
    ids=["weights-not-summing-to-one", "one-band", "one-sentence-band", "sentences-exceed"],
)
def test_settings_that_cannot_run_together_are_refused_up_front(
    settings: dict[str, object], fragments: list[str]
) -> None:
    # Each of these passed the per-setting checks and then raised inside datasketch.
    with pytest.raises(ConfigError) as raised:
        with_settings(ScanConfig(), settings)
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_weights_that_sum_to_one_are_accepted() -> None:
    config = with_settings(
        ScanConfig(), {"false_positive_weight": 0.3, "false_negative_weight": 0.7}
    )
    assert (config.candidates.false_positive_weight, config.candidates.false_negative_weight) == (
        0.3,
        0.7,
    )


SEED = Path(__file__).resolve().parents[1] / "fixtures" / "anadolu-libye-fr.txt"

setting_values = st.fixed_dictionaries(
    {},
    optional={
        "shingle_kind": st.sampled_from(["char", "word"]),
        "shingle_size": st.integers(0, 40),
        "min_words": st.integers(0, 60),
        "num_perm": st.one_of(st.integers(0, 1100), st.sampled_from([8, 16, 64, 128])),
        "seed": st.integers(-1, 2**32),
        "scheme": st.sampled_from(["affine32", "legacy"]),
        "lsh_threshold": st.floats(0, 1),
        "max_bucket": st.integers(0, 200),
        "sentence_num_perm": st.one_of(st.integers(0, 1100), st.sampled_from([0, 8, 16, 64])),
        "cosine_threshold": st.floats(0, 1),
        "jaccard_threshold": st.floats(0, 1),
        "containment_threshold": st.floats(0, 1),
        "check_figures": st.booleans(),
        "fold_accents": st.booleans(),
    },
)


@st.composite
def settings_space(draw: st.DrawFn) -> dict[str, object]:
    """Settings from the whole space, valid or not; weights mostly summing to one."""
    values = draw(setting_values)
    if draw(st.booleans()):
        weight = draw(st.floats(0, 1))
        other = 1 - weight if draw(st.integers(0, 4)) else draw(st.floats(0, 1))
        values |= {"false_positive_weight": weight, "false_negative_weight": other}
    return values


@settings(max_examples=80)
@given(settings_space())
def test_whatever_validation_accepts_runs(values: dict[str, object]) -> None:
    from dedup.pipeline import scan

    try:
        config = with_settings(ScanConfig(), values)
    except ConfigError:
        return
    report = scan([str(SEED)], config)
    assert report.paragraph_count == 31


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("utf-8", True),
        ("cp1252", True),
        ("latin-1", True),
        ("utf-16", True),
        ("rot13", False),
        ("hex", False),
        ("base64", False),
        ("zlib", False),
        ("undefined", False),
        ("klingon", False),
    ],
)
def test_is_text_encoding(name: str, text: bool) -> None:
    assert is_text_encoding(name) is text


@pytest.mark.parametrize("encoding", ["rot13", "utf-8,hex", "utf-8,undefined"])
def test_encodings_must_be_text_encodings(encoding: str) -> None:
    with pytest.raises(ConfigError, match="is not a text encoding"):
        with_settings(ScanConfig(), {"encoding": encoding})


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b'[project]\nname = "x"\n', False),
        (b"[project\n", False),
        (b'name = "caf\xe9"\n', False),
        (b"[tool.dedup]\nseed = 2\n", True),
        (b"[tool.dedup.extra]\n", True),
        (b"[tool]\ndedup = { seed = 2 }\n", True),
        (b"[tool.dedup]\nseed = \n", True),
    ],
    ids=[
        "other",
        "other-broken",
        "other-not-utf8",
        "ours",
        "ours-subtable",
        "ours-inline",
        "ours-broken",
    ],
)
def test_only_a_pyproject_that_mentions_dedup_is_found(
    tmp_path: Path, content: bytes, found: bool
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "desk").mkdir()
    expected = tmp_path / "pyproject.toml" if found else None
    assert find_config_file(tmp_path / "desk") == expected


def test_a_settings_file_that_is_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "dedup.toml"
    path.write_bytes(b"seed = 2\n# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"dedup\.toml:2: cannot read settings: not UTF-8 "):
        load_settings(path)


def test_config_docstring_examples_hold() -> None:
    results = doctest.testmod(importlib.import_module("dedup.config"))
    assert results.attempted > 0
    assert results.failed == 0
