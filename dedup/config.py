"""Settings, one dataclass section per stage. Defaults live here and only here.

A ``[tool.dedup]`` table in ``pyproject.toml`` (or the top level of
``dedup.toml``) and the command-line flags fill the same ``ScanConfig``.
Each field declares its constraint beside it (a range, choices, ...);
``validate`` checks one value against it, and ``check_combination`` the
rules that tie fields together, so that every configuration a ``ScanConfig``
can hold runs: a bad one is a ``ConfigError`` naming the setting, the value
and what is allowed, never an exception deep inside a scan.
"""

from __future__ import annotations

import codecs
import re
import stat
import sys
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

from dedup.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


@dataclass(frozen=True, slots=True)
class Constraint:
    """What values a setting takes: an integer range, a number in (low, high], choices,
    a boolean, a list of encodings, a subset of choices, a list of globs or a language tag."""

    kind: str
    low: float = 0
    high: float = 0
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        """The allowed values in words, for error messages."""
        if self.kind == "int":
            return f"an integer from {int(self.low)} to {int(self.high)}"
        if self.kind == "number":
            return f"a number in ({self.low:g}, {self.high:g}]"
        if self.kind == "choice":
            return f"one of {', '.join(self.choices)}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "subset":
            return f"a comma-separated list of {', '.join(self.choices)} (or empty)"
        if self.kind == "globs":
            return "a list of .gitignore-style patterns"
        if self.kind == "language":
            return "auto or a language tag such as fr or en-GB"
        return "a comma-separated list of encodings"


def _setting(default: Any, help: str, constraint: Constraint) -> Any:
    """A dataclass field with its help text (shown by the command line) and its constraint."""
    return field(default=default, metadata={"help": help, "constraint": constraint})


def _integer(low: int, high: int) -> Constraint:
    return Constraint("int", low, high)


_FRACTION = Constraint("number", 0, 1)
# "auto", or a BCP 47 language tag: a primary language and optional subtags.
_LANGUAGE = re.compile(r"auto|[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_BOOL = Constraint("bool")


class MarkupBlock(str, Enum):
    """Blocks of Markdown, reStructuredText and HTML that may be left out of the paragraphs."""

    CODE = "code"
    COMMENTS = "comments"
    DIRECTIVES = "directives"
    FRONT_MATTER = "front-matter"
    HEADINGS = "headings"
    TABLES = "tables"


@dataclass(frozen=True, slots=True)
class ReadConfig:
    """How input files are read, and which files of a folder are."""

    # Wire copy still arrives in Windows-1252 from older systems; a file that
    # is not UTF-8 is decoded with the next encoding of the list, and the
    # report says which files were (never a silent guess).
    encoding: str = _setting(
        "utf-8,cp1252",
        "Encodings to try, in order, comma-separated ('utf-8' to accept only it).",
        Constraint("encodings"),
    )
    # A documentation repository repeats its headings, code samples and
    # tables on purpose (a "Usage" heading per page, the same install
    # command): none of them is prose that an editor would consolidate.
    skip_blocks: str = _setting(
        ",".join(block.value for block in MarkupBlock),
        "Markup blocks that are not paragraphs, comma-separated ('' counts them all).",
        Constraint("subset", choices=tuple(block.value for block in MarkupBlock)),
    )
    exclude: tuple[str, ...] = _setting(
        (),
        "Leave out files of a folder matching this .gitignore-style pattern (repeatable).",
        Constraint("globs"),
    )
    gitignore: bool = _setting(
        True, "Inside a git work tree, leave out the files git ignores.", _BOOL
    )

    # An unattended scan (a hot folder, CI) may rather go on past a broken file
    # than stop; it still names each one, and the report lists them.
    skip_bad: bool = _setting(
        False,
        "Warn and go on past files that cannot be read or are malformed "
        "(the report lists them under 'skipped').",
        _BOOL,
    )

    def skipped(self) -> frozenset[MarkupBlock]:
        """The markup blocks that are not paragraphs."""
        return frozenset(MarkupBlock(name) for name in self.skip_blocks.split(",") if name)


@dataclass(frozen=True, slots=True)
class NormalizeConfig:
    """How text is made comparable."""

    fold_accents: bool = _setting(
        False, "Compare 'resolution' and 'résolution' as the same word.", _BOOL
    )
    tight_punctuation: bool = _setting(
        True, "Drop French typographic spaces before ; : ! ? and inside guillemets.", _BOOL
    )
    join_hyphenation: bool = _setting(
        True, "Rejoin words split at a line end ('exam- ple').", _BOOL
    )


@dataclass(frozen=True, slots=True)
class ShingleConfig:
    """What a paragraph is cut into before sketching."""

    shingle_kind: str = _setting(
        "char",
        "Shingle on characters (robust to typos) or words.",
        Constraint("choice", choices=("char", "word")),
    )
    # Character 5-grams: long enough that unrelated paragraphs share few of
    # them, short enough that one OCR error spoils only five.
    shingle_size: int = _setting(5, "Characters (or words) per shingle.", _integer(1, 32))
    # Shorter paragraphs (sign-offs, bylines, "Qtly div 15 cts") carry too
    # few shingles for a similarity to mean anything: exact matches only.
    min_words: int = _setting(
        8, "Paragraphs with fewer words are matched exactly only.", _integer(1, 10_000)
    )


@dataclass(frozen=True, slots=True)
class SketchConfig:
    """MinHash parameters; signatures equal ``datasketch.MinHash`` for these."""

    num_perm: int = _setting(128, "MinHash permutations per signature.", _integer(8, 1024))
    seed: int = _setting(
        1, "Seed of the MinHash permutations (as datasketch's).", _integer(0, 2**32 - 1)
    )
    scheme: str = _setting(
        "affine32",
        "datasketch permutation scheme.",
        Constraint("choice", choices=("affine32", "legacy")),
    )


@dataclass(frozen=True, slots=True)
class CandidateConfig:
    """LSH banding: proposes pairs, below the decision thresholds."""

    # Jaccard level the bands are tuned for (as datasketch MinHashLSH's
    # ``threshold``). Set below the decision thresholds so that verification,
    # not the sketch, decides: with 128 permutations datasketch picks 32 bands
    # of 4 rows, which proposes a pair at Jaccard 0.5 with probability 0.87
    # and at 0.6 with 0.99. 0.3 gained nothing on the reprint set.
    lsh_threshold: float = _setting(
        0.4, "Jaccard similarity the LSH bands are tuned for.", _FRACTION
    )
    # The two weights sum to 1 (as datasketch requires).
    false_positive_weight: float = _setting(
        0.5, "LSH tuning: weight of false positives (the two weights sum to 1).", _FRACTION
    )
    false_negative_weight: float = _setting(
        0.5, "LSH tuning: weight of false negatives (the two weights sum to 1).", _FRACTION
    )
    # Larger buckets are linked as a chain of neighbours instead of all
    # pairs, so hundreds of look-alikes of one template never mean ~n^2 pairs.
    max_bucket: int = _setting(
        64, "LSH buckets larger than this are not expanded to all pairs.", _integer(2, 100_000)
    )
    # Partial reuse (a paragraph built from sentences of another) has a low
    # paragraph Jaccard, so the paragraph bands miss it; sentences sketched on
    # their own meet in bands of their own. Fewer permutations suffice (the
    # first of the paragraph sketch's): a reused paragraph usually shares
    # several sentences, and one of them meeting is enough.
    sentence_num_perm: int = _setting(
        64,
        "Permutations (the first of num_perm) for sentence-level candidates; 0: none.",
        _integer(0, 1024),
    )

    # Partial reuse rewritten around a clause it keeps (Clough-Stevenson's
    # "light" answers) can share too few shingles for any band to meet; a run
    # of letters shared verbatim still shows it. On Clough-Stevenson (python
    # benchmarks/quality.py clough) runs of 35 or 40 letters with windows of 8
    # to 12 link 36 of the 38 cut and light answers and no independent one;
    # 30/20 and 25/15 link one independent answer, 50/10 only 35. A run that
    # eight Reuters paragraphs share is a stock phrase: with 8, the full
    # Reuters corpus gets 9,000 such pairs, 4,000 of them new.
    run_length: int = _setting(
        40,
        "Letters of a run two paragraphs share verbatim (folded) that proposes them as partial "
        "reuse; 0: no such candidates.",
        _integer(0, 1000),
    )
    run_window: int = _setting(
        10,
        "Winnowing window of shared runs: every run of run_length + run_window - 1 letters "
        "in common is found.",
        _integer(1, 1000),
    )
    run_max_share: int = _setting(
        8,
        "Runs held by more paragraphs than this are stock phrases and propose nothing.",
        _integer(2, 100_000),
    )


@dataclass(frozen=True, slots=True)
class VerifyConfig:
    """The decision on each candidate pair."""

    # Both thresholds were tuned on the Reuters reprint set of
    # benchmarks/reprints.py (seed 7; python benchmarks/quality.py all):
    # exact+near pairwise F1 0.963 at 0.7/0.45, 0.961 at cosine 0.6 or 0.8,
    # 0.962-0.963 at Jaccard 0.4-0.5; cosine 0.6 also drops Clough-Stevenson
    # cut+light from 33 to 29 of 38 (more near links, fewer partial ones).
    # Together they need a pair alike both in rare n-grams (cosine) and in
    # plain overlap (Jaccard).
    cosine_threshold: float = _setting(
        0.7, "Minimum TF-IDF cosine of a near-duplicate pair.", _FRACTION
    )
    jaccard_threshold: float = _setting(
        0.45, "Minimum shingle Jaccard of a near-duplicate pair.", _FRACTION
    )
    # Noisy copies (OCR noise of several percent of characters) lose a fifth of
    # their shingles each, so two reprints of one dispatch can fall below the
    # cosine and Jaccard thresholds; their letters still line up. A pair whose
    # character alignment (dedup.align) reaches alignment_threshold is a
    # near-duplicate when its cosine still reaches alignment_cosine_threshold:
    # cosine confirms every match. On the reprint set tuned on (seed 7, noise
    # up to 7%; python benchmarks/quality.py reprints), exact+near P/R: 0.86
    # 0.990/0.981, 0.87 0.991/0.981, 0.88 0.992/0.980, 0.92 0.991/0.979;
    # below 0.86 the seed's rewrite (line 15 of line 11, aligned at 0.85)
    # would become a near-duplicate. The cosine floor moves nothing between
    # 0.35 and 0.45. A near-duplicate has a comparable length: a paragraph
    # and the same one run together with the next are alike in shingles but
    # not copies (near_length_ratio; 0.5 costs 8 false pairs, gains 4).
    alignment_threshold: float = _setting(
        0.88,
        "Minimum character alignment of a near-duplicate whose shingle scores fall short.",
        _FRACTION,
    )
    near_length_ratio: float = _setting(
        0.6,
        "Minimum length of the shorter paragraph of a near-duplicate pair, as a share of the "
        "longer.",
        _FRACTION,
    )
    alignment_cosine_threshold: float = _setting(
        0.4,
        "Minimum TF-IDF cosine of a near-duplicate confirmed by its character alignment.",
        _FRACTION,
    )
    # A copy with a sentence or two dropped (an abridged reprint) is partial
    # reuse by its shingles, yet the same paragraph to a desk: when nearly
    # all the shorter one's letters line up inside the longer (coverage) and
    # the cosine confirms it (alignment_cosine_threshold), the pair clusters
    # with near-duplicates (relation "partial"), when it keeps at least
    # abridged_share of it. Seed 7: coverage 0.95 and share 0.5 give P/R
    # 0.992/0.980; share 0.4 0.988/0.983, 0.45 0.991/0.981; coverage 0.93
    # 0.991/0.980. A shorter share makes a paragraph and a stock phrase inside
    # it copies of one another.
    abridged_threshold: float = _setting(
        0.95,
        "Minimum share of the shorter paragraph's letters lined up in the longer, for an "
        "abridged copy that clusters with near-duplicates.",
        _FRACTION,
    )
    # A paragraph that partially reuses a clustered one joins its cluster when
    # most of its letters line up within that cluster's canonical (an excerpt,
    # a rewrite); one that quotes the canonical among other text (a stock
    # phrase inside a longer paragraph) makes a partial cluster of its own, so
    # that two paragraphs quoting one phrase are not reported as copies of
    # each other. Seed 7 and held-out seed 1: within 0.8 and containment 0.6
    # give P 0.992 and 0.990; joining at containment 0.55 drops seed 1 to
    # 0.988; within 0.85 would leave the seed's rewrite (line 15, 0.81 within
    # line 11) out of its cluster.
    join_containment_threshold: float = _setting(
        0.6,
        "Minimum containment of a partial copy in a cluster's canonical paragraph for it to "
        "join that cluster.",
        _FRACTION,
    )
    within_threshold: float = _setting(
        0.8,
        "Minimum share of a partial copy's letters lined up within a cluster's canonical "
        "paragraph for it to join that cluster.",
        _FRACTION,
    )
    abridged_share: float = _setting(
        0.5,
        "Minimum length of an abridged copy, as a share of the paragraph it abridges.",
        _FRACTION,
    )
    # On Clough-Stevenson (benchmarks/quality.py clough), with shared runs as
    # candidates and partial clusters that cover every verified pair, 0.5
    # links 36 of the 38 cut and light answers to their source and none of
    # the 38 written independently; 0.55 links 32, 0.6 34. Below 0.5
    # attribution formulas start to count as reuse: the seed's lines 16 and
    # 20 share 49%.
    containment_threshold: float = _setting(
        0.5,
        "Minimum share of the smaller paragraph found in the larger for partial reuse.",
        _FRACTION,
    )
    check_figures: bool = _setting(
        True, "Pairs that differ in figures are kind 'figures', not near-duplicates.", _BOOL
    )


@dataclass(frozen=True, slots=True)
class ReportConfig:
    """How reports present what was found."""

    # The HTML page says which language its text is in, for screen readers,
    # hyphenation and spelling tools; guessed from the text unless set.
    lang: str = _setting(
        "auto",
        "Language of the text, for the HTML report (a tag such as fr or en-GB; auto: guessed).",
        Constraint("language"),
    )


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Every setting of a scan, by stage."""

    read: ReadConfig = field(default_factory=ReadConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    shingle: ShingleConfig = field(default_factory=ShingleConfig)
    sketch: SketchConfig = field(default_factory=SketchConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    verify: VerifyConfig = field(default_factory=VerifyConfig)
    report: ReportConfig = field(default_factory=ReportConfig)

    def as_params(self) -> dict[str, Any]:
        """Flat ``{name: value}`` of every effective parameter, for reports."""
        return {
            f.name: getattr(section, f.name) for section in _sections(self) for f in fields(section)
        }


#: Copies of one text that a check against an index lists, the earliest first (the others
#: are counted): a sign-off or a template an index holds thousands of times would otherwise
#: fill every report that meets it. Not a setting of the scan: it changes what a report
#: lists, never what is found.
INDEX_COPIES = 50


def _sections(config: ScanConfig) -> list[Any]:
    return [getattr(config, f.name) for f in fields(config)]


# Flat setting name -> section attribute of ScanConfig. Flat names are what
# users write in TOML and on the command line.
SETTINGS: dict[str, str] = {
    f.name: section_name
    for section_name in (section.name for section in fields(ScanConfig))
    for f in fields(getattr(ScanConfig(), section_name))
}

#: Each flat setting's constraint, as declared beside its field.
CONSTRAINTS: dict[str, Constraint] = {
    f.name: f.metadata["constraint"]
    for section in fields(ScanConfig)
    for f in fields(getattr(ScanConfig(), section.name))
}
#: The settings that take one of a few names, and those names.
CHOICES: dict[str, tuple[str, ...]] = {
    name: constraint.choices
    for name, constraint in CONSTRAINTS.items()
    if constraint.kind == "choice"
}


def validate(name: str, value: Any) -> Any:
    """Check one flat setting against its constraint; return it in its proper type, or raise
    ``ConfigError`` naming the setting, the value and what is allowed."""
    if name not in SETTINGS:
        known = ", ".join(sorted(SETTINGS))
        raise ConfigError(f"unknown setting {name!r}; known settings: {known}")
    constraint = CONSTRAINTS[name]
    if constraint.kind == "encodings":
        return _encodings(value)
    if constraint.kind == "subset":
        return _subset(name, value, constraint)
    if constraint.kind == "globs":
        return _globs(name, value, constraint)
    ok = {
        "bool": lambda: isinstance(value, bool),
        "choice": lambda: value in constraint.choices,
        "int": lambda: (
            isinstance(value, int)
            and not isinstance(value, bool)
            and constraint.low <= value <= constraint.high
        ),
        "number": lambda: (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and constraint.low < value <= constraint.high
        ),
        "language": lambda: isinstance(value, str) and bool(_LANGUAGE.fullmatch(value)),
    }[constraint.kind]()
    if not ok:
        raise ConfigError(f"{name} must be {constraint.describe()}, got {value!r}")
    return float(value) if constraint.kind == "number" else value


def _encodings(value: Any) -> str:
    names = [n.strip() for n in value.split(",")] if isinstance(value, str) else []
    if not names or not all(names):
        raise ConfigError(f"encoding must be a comma-separated list of encodings, got {value!r}")
    for name in names:
        try:
            codecs.lookup(name)
        except LookupError:
            raise ConfigError(f"encoding: unknown encoding {name!r}") from None
        if not is_text_encoding(name):
            raise ConfigError(
                f"encoding: {name!r} is not a text encoding (it does not turn bytes into text)"
            )
    return ",".join(names)


def _subset(name: str, value: Any, constraint: Constraint) -> str:
    """A comma-separated string or a list of choices, as one sorted comma-separated string."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{name} must be {constraint.describe()}, got {value!r}")
    names = {item.strip() for item in items if item.strip()}
    unknown = sorted(names - set(constraint.choices))
    if unknown:
        raise ConfigError(
            f"{name}: unknown {', '.join(map(repr, unknown))}; {constraint.describe()}"
        )
    return ",".join(sorted(names))


def _globs(name: str, value: Any, constraint: Constraint) -> tuple[str, ...]:
    """One pattern or a list of them, each compiled once to refuse a malformed one here."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) and i for i in items):
        raise ConfigError(f"{name} must be {constraint.describe()}, got {value!r}")
    from pathspec import GitIgnoreSpec

    for item in items:
        try:
            GitIgnoreSpec.from_lines([item])
        except ValueError as err:
            raise ConfigError(f"{name}: bad pattern {item!r}: {err}") from err
    return tuple(items)


def is_text_encoding(name: str) -> bool:
    """Whether ``name`` is a codec that decodes bytes into text.

    Python's codec registry also holds bytes-to-bytes and text-to-text
    transforms (``hex``, ``base64``, ``rot13``) and ``undefined``, which fails
    on every input: none of them reads a file.

    >>> is_text_encoding("cp1252"), is_text_encoding("hex"), is_text_encoding("undefined")
    (True, False, False)
    """
    try:
        info = codecs.lookup(name)
        # The flag bytes.decode itself checks to refuse the transforms.
        if not getattr(info, "_is_text_encoding", True):
            return False
        info.decode(b"")  # "undefined" raises on every input, even none
    except (LookupError, UnicodeError):
        return False
    return True


def with_settings(config: ScanConfig, settings: dict[str, Any]) -> ScanConfig:
    """Return ``config`` with flat ``settings`` applied (each validated)."""
    sections: dict[str, dict[str, Any]] = {}
    for name, value in settings.items():
        sections.setdefault(SETTINGS.get(name, ""), {})[name] = validate(name, value)
    updated = {
        section: replace(getattr(config, section), **values) for section, values in sections.items()
    }
    return check_combination(replace(config, **updated))


def check_combination(config: ScanConfig) -> ScanConfig:
    """Check the rules that tie settings together; return ``config`` or raise ``ConfigError``.

    The LSH rules are datasketch's own (``MinHashLSH``): weights that sum to
    1, and at least two bands for every signature that is banded.
    """
    from dedup.bands import optimal_bands  # NumPy only; kept out of ``dedup --help``

    candidates, num_perm = config.candidates, config.sketch.num_perm
    total = candidates.false_positive_weight + candidates.false_negative_weight
    if abs(total - 1.0) > 1e-9:
        raise ConfigError(
            f"false_positive_weight ({candidates.false_positive_weight:g}) and "
            f"false_negative_weight ({candidates.false_negative_weight:g}) must sum to 1"
        )
    if candidates.sentence_num_perm > num_perm:
        raise ConfigError(
            f"sentence_num_perm ({candidates.sentence_num_perm}) cannot exceed "
            f"num_perm ({num_perm}): sentences use the first permutations"
        )
    banded = [("num_perm", num_perm)]
    if candidates.sentence_num_perm:
        banded.append(("sentence_num_perm", candidates.sentence_num_perm))
    for name, perms in banded:
        bands, rows = optimal_bands(
            candidates.lsh_threshold,
            perms,
            candidates.false_positive_weight,
            candidates.false_negative_weight,
        )
        if bands < 2:
            remedy = "lower lsh_threshold" + (
                f", raise {name} or set it to 0 (no sentence candidates)"
                if name == "sentence_num_perm"
                else ""
            )
            raise ConfigError(
                f"{name} {perms} with lsh_threshold {candidates.lsh_threshold:g} gives "
                f"{bands} band of {rows} rows; LSH needs at least 2 bands: {remedy}"
            )
    return config


def find_config_file(start: Path) -> Path | None:
    """The nearest ``dedup.toml``, or ``pyproject.toml`` with a ``[tool.dedup]`` table.

    A ``pyproject.toml`` that does not mention ``tool.dedup`` belongs to some
    other project: it is passed over even when it cannot be read, so that a
    broken file of another tool never stops a scan.
    """
    for folder in (start, *start.parents):
        candidate = folder / "dedup.toml"
        if _is_file(candidate):
            return candidate
        pyproject = folder / "pyproject.toml"
        if _is_file(pyproject) and _mentions_dedup(pyproject):
            try:
                if "dedup" in _read_toml(pyproject).get("tool", {}):
                    return pyproject
            except ConfigError:
                return pyproject  # ours and broken: load_settings names what is wrong
    return None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False where a folder on the way cannot be searched (a
    user may run dedup below folders they cannot look into)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


# ``[tool.dedup]``, ``[tool.dedup.x]``, ``tool.dedup.key = ...`` or ``dedup = {...}`` in ``[tool]``.
_DEDUP_TABLE = re.compile(
    rb"\btool[ \t]*\.[ \t]*[\"']?dedup\b|^[ \t]*[\"']?dedup[\"']?[ \t]*=", re.MULTILINE
)


def _mentions_dedup(pyproject: Path) -> bool:
    """Whether a pyproject.toml may hold dedup's settings (read as bytes: it may be broken)."""
    try:
        return _DEDUP_TABLE.search(pyproject.read_bytes()) is not None
    except OSError:
        return False


def load_settings(path: Path) -> dict[str, Any]:
    """Flat settings from a TOML file (``[tool.dedup]`` of pyproject, or dedup.toml's top level)."""
    data = _read_toml(path)
    table = data.get("tool", {}).get("dedup", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.dedup] must be a table")
    # TOML keys may use dashes, as the command-line flags do.
    return {key.replace("-", "_"): value for key, value in table.items()}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except UnicodeDecodeError as err:
        line = err.object[: err.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}:{line}: cannot read settings: not UTF-8 "
            f"(byte 0x{err.object[err.start]:02x} at offset {err.start}); TOML files are UTF-8"
        ) from err
    except OSError as err:
        raise ConfigError(f"{path}: cannot read settings: {err.strerror or err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: cannot read settings: {err}") from err
