"""Build a seeded reprint test set from Reuters-21578, with a truth file.

The set imitates what a desk sees when the same dispatch comes back through
other channels: the original, plus reprints that were abridged, re-ledded,
re-datelined, lightly edited, scanned (OCR noise), re-typeset (hyphenation
left in, house-style quotes and dashes) or shouted (all-caps lede). Around
them sit untouched unrelated dispatches (distractors) and Reuters' own
templated dispatches (earnings, dividends) that look alike but differ in
figures (hard negatives).

Outputs, for ``--output DIR/NAME.jsonl``:

- ``NAME.jsonl``: one dispatch per line, ``{"id", "title", "paragraphs"}``
  (dedup's JSONL input format). Ids are opaque and the order is shuffled, so
  nothing but the text tells an original from its reprints.
- ``NAME.truth.json``: for every document, per paragraph, its truth label
  (paragraphs with the same label are duplicates of each other) or null,
  whether it is scored, and the transformations it went through.

Truth rules (read these before quoting a score):

- A label names an *origin text*: the normalised text (NFKC, casefold,
  typographic quotes and dashes unified, whitespace collapsed) of a Reuters
  paragraph. Two Reuters paragraphs with the same normalised text share a
  label even when they come from different dispatches (re-sent stories,
  identical sign-off sentences), so the truth never calls identical text
  "different". Reuters' own near-identical repeats (re-sent or corrected
  stories: the same figures and a character-level difflib ratio >= 0.9) are
  joined too, except among templated paragraphs. Every copy of a paragraph
  in a reprint carries the label of the paragraph it was made from,
  whatever was done to it (a sentence dropped, OCR noise, ...).
- Datelines are not part of the origin text: the first paragraph of every
  dispatch is printed with a dateline in front (``WASHINGTON, Feb 26 -``)
  and a reprint may change it; the label is the same.
- A paragraph made by running two paragraphs together ("merged") is *not
  scored*: it is a partial copy of two origins and belongs to neither.
- A new lede written on top of a reprint is the first paragraph of a
  dispatch not otherwise in the set, labelled by its text like any other:
  unique, unless Reuters ran the same text elsewhere in the set.
- Only paragraphs of ``min_words`` (8) or more whitespace-separated words, as
  printed, are scored. A label left with fewer than two scored paragraphs is
  set to null (a unique paragraph).
- Templated dispatches are picked so that no two of their paragraphs have the
  same normalised text: whatever looks alike among them differs in figures
  (or names) and is, by the truth, *not* a duplicate.

Calibration: with the defaults, plain union-find over exact character
5-gram Jaccard >= 0.5 scores pairwise F1 about 0.86 on this set (0.79 at
>= 0.45, 0.82 at >= 0.6; char 4-grams 0.74; word 3-grams 0.57), in line
with the reference figures of the held-out set (0.87; 0.81, 0.80; 0.72;
0.54). The knobs are the ``Knobs`` fields; ``benchmarks/quality.py``
prints these baselines on every run.

Usage::

    python benchmarks/reprints.py --seed 7 --sources 1500 \\
        --output benchmarks/data/reprints.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from datasketch import MinHash, MinHashLSH

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578.jsonl"
MIN_WORDS = 8
TRUTH_SCHEMA = "dedup.reprints-truth/1"

# Typographic marks folded to ASCII for the truth's identity of origin texts.
_TYPO = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)

# Earnings and dividend tables and notices: alike in wording, different in figures.
_TEMPLATE_TITLE = re.compile(
    r"\b(NET|LOSS|PROFIT|EARNINGS|SHR|QTLY|DIV|DIVIDEND|PAYOUT|[1-4](ST|ND|RD|TH) QTR)\b"
)
_TEMPLATE_PARA = re.compile(r"^(Shr|Net|Revs?|Sales|Qtly div|Mthly div|Semi-annual div|Oper)\b")

# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "inc", "corp", "co", "ltd", "jr", "sr", "no", "vs", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "calif",
    "conn", "ind", "mass", "mich", "ill", "wash", "tex", "fla", "pa", "va", "ga", "ariz",
    "colo", "minn", "wis", "mo", "okla", "ore", "tenn", "ky", "kan", "neb", "nev", "ala",
    "la", "miss", "md", "del",
})
# fmt: on

# OCR confusions seen in scanned wire copy (both directions).
_OCR_CONFUSIONS = {"c": "e", "e": "c", "l": "1", "1": "l", "o": "0", "0": "o", "m": "rn", "I": "l"}


def normalize_text(text: str) -> str:
    """Normalise a paragraph for identity: NFKC, casefold, ASCII quotes, one space.

    >>> normalize_text("  \u201cBig\u201d  Deal \u2014 ok ")
    '"big" deal - ok'
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPO).casefold()
    return " ".join(text.split())


def word_count(text: str) -> int:
    """Count whitespace-separated words.

    >>> word_count("Qtly div 10 cts vs 10 cts prior")
    8
    """
    return len(text.split())


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations such as U.S. or Inc. whole.

    >>> split_sentences("The U.S. Treasury sold bills. Rates rose. Reuter")
    ['The U.S. Treasury sold bills.', 'Rates rose. Reuter']
    """
    sentences: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?][\"')]*\s+(?=[\"(]?[A-Z])", text):
        before = text[start : match.start()].split()
        last = before[-1].rstrip(".").casefold() if before else ""
        if re.fullmatch(r"(?:[a-z]\.)*[a-z]", last) or last in _ABBREVIATIONS:
            continue
        nxt = text[match.end() :].split(maxsplit=1)
        if nxt and nxt[0] == "Reuter":
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def is_template(doc: dict) -> bool:
    """Tell an earnings or dividend dispatch (a table of figures) from prose."""
    if any(_TEMPLATE_PARA.match(p) for p in doc["paragraphs"]):
        return True
    return bool(_TEMPLATE_TITLE.search(doc["title"] or "")) and len(doc["paragraphs"]) <= 4


# --------------------------------------------------------------------------- transforms


@dataclass
class Para:
    """A paragraph being printed: its text, where it came from, what was done to it."""

    text: str
    origin: tuple[str, int] | None  # (Reuters id, paragraph index); None: unique text
    merged: bool = False
    tags: list[str] = field(default_factory=list)


def add_ocr_noise(text: str, rate: float, rng: random.Random) -> tuple[str, int]:
    """Apply OCR-like edits to about ``rate`` of the characters; return text and edit count.

    Edits: confusions (c/e, l/1, o/0, m/rn, rn/m), a lost space, a doubled
    letter, a dropped letter.
    """
    out: list[str] = []
    edits = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if rng.random() >= rate:
            out.append(ch)
            i += 1
            continue
        edits += 1
        if text.startswith("rn", i) and rng.random() < 0.7:
            out.append("m")
            i += 2
            continue
        options = ["drop", "double"]
        if ch == " ":
            options = ["lose_space"] * 3
        elif ch in _OCR_CONFUSIONS:
            options += ["confuse"] * 4
        elif not ch.isalnum():
            options = ["keep"]
        op = rng.choice(options)
        if op == "confuse":
            out.append(_OCR_CONFUSIONS[ch])
        elif op == "double":
            out.append(ch + ch)
        elif op == "keep":
            out.append(ch)
            edits -= 1
        # drop and lose_space append nothing
        i += 1
    return "".join(out), edits


def hyphenate(text: str, count: int, rng: random.Random) -> str:
    """Split ``count`` long words as a typesetter's line break left them: ``exam- ple``."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    for i in rng.sample(candidates, min(count, len(candidates))):
        word = words[i]
        cut = rng.randint(2, len(word) - 3)
        words[i] = f"{word[:cut]}- {word[cut:]}"
    return " ".join(words)


def house_style(text: str, rng: random.Random, guillemets: bool) -> str:
    """Typeset quotes and dashes: curly quotes (or guillemets), apostrophes, em/en dashes."""
    opening, closing = ("\u00ab ", " \u00bb") if guillemets else ("\u201c", "\u201d")
    parts = text.split('"')
    text = parts[0] + "".join(
        (opening if k % 2 == 0 else closing) + part for k, part in enumerate(parts[1:])
    )
    text = text.replace("'", "\u2019").replace(" -- ", " \u2014 ").replace("--", "\u2014")
    text = text.replace(" - ", " \u2014 " if rng.random() < 0.5 else " \u2013 ")
    return re.sub(r"(?<=\d)-(?=\d)", "\u2013", text)


_MONTHS = "January February March April May June July August September October November December"


def restyle_dateline(dateline: str, rng: random.Random) -> str:
    """Rewrite a Reuters dateline as another desk would print it (or drop it)."""
    m = re.match(r"\s*(.*?),?\s+([A-Za-z]+)\.?\s+(\d+)\s*-\s*$", dateline)
    place = m.group(1) if m else dateline.rstrip(" -")
    city = place.split(",")[0].strip().upper()
    month = m.group(2).capitalize() if m else ""
    full = next((x for x in _MONTHS.split() if month and x.startswith(month[:3])), month)
    day = m.group(3) if m else ""
    return rng.choice(
        [
            "(Reuters) - ",
            f"{city} (Reuters) - ",
            f"{city}, {full} {day} (Reuters) - ",
            f"{city.title()}, {full[:3]}. {day} -- ",
            "",
        ]
    )


# --------------------------------------------------------------------------- building


@dataclass
class Printed:
    """A dispatch as written to the set."""

    origin: str
    role: str
    title: str
    paras: list[Para]


def original(doc: dict, role: str) -> Printed:
    """Print a Reuters dispatch as it ran, dateline in front of the first paragraph."""
    paras = [Para(p, (doc["id"], i)) for i, p in enumerate(doc["paragraphs"])]
    if paras and doc.get("dateline"):
        paras[0].text = f"{doc['dateline'].strip()} {paras[0].text}"
    return Printed(doc["id"], role, doc["title"] or "", paras)


@dataclass(frozen=True)
class Knobs:
    """Probabilities and ranges of the reprint transformations (the calibration knobs)."""

    reprint_weights: tuple[float, ...] = (0.2, 0.3, 0.3, 0.2)  # P(1, 2, 3, 4 reprints)
    abridge: float = 0.3
    merge: float = 0.2
    new_lede: float = 0.2
    dateline: float = 0.6
    drop_sentence: float = 0.5
    caps_lede: float = 0.15
    house_style: float = 0.4
    hyphenate: float = 0.5
    noise: float = 0.85  # P(reprint is noisy at all)
    noise_max: float = 0.11  # top of the per-reprint character noise rate
    noise_skew: float = 2.0  # rate = 0.2% + (max - 0.2%) * U**skew: above 1, mostly light
    noise_paragraph: float = 0.8  # P(a paragraph of a noisy reprint is hit)


def reprint(doc: dict, ledes: Iterator[dict], knobs: Knobs, rng: random.Random) -> Printed:
    """Make one reprint of ``doc`` with a random mix of transformations.

    ``ledes`` supplies dispatches not otherwise in the set; the first paragraph
    of the next one becomes the new lede, when the reprint gets one.
    """
    paras = [Para(p, (doc["id"], i)) for i, p in enumerate(doc["paragraphs"])]
    if len(paras) > 2 and rng.random() < knobs.abridge:
        paras = paras[: rng.randint(2, len(paras) - 1)]
        paras[-1].tags.append("abridged-end")
    if rng.random() < knobs.drop_sentence:
        multi = [p for p in paras if len(split_sentences(p.text)) >= 2]
        if multi:
            target = rng.choice(multi)
            sentences = split_sentences(target.text)
            del sentences[rng.randrange(len(sentences))]
            target.text = " ".join(sentences)
            target.tags.append("sentence-dropped")
    if len(paras) >= 2 and rng.random() < knobs.merge:
        i = rng.randrange(len(paras) - 1)
        a, b = paras[i], paras[i + 1]
        paras[i : i + 2] = [Para(f"{a.text} {b.text}", None, True, [*a.tags, *b.tags, "merged"])]
    if rng.random() < knobs.new_lede:
        lede = next(ledes, None)
        if lede is None:
            raise ValueError("ran out of spare ledes: ask for fewer --sources or --distractors")
        if doc.get("dateline") and paras[0].origin == (doc["id"], 0):
            paras[0].tags.append("dateline-dropped")  # the dateline moves up to the new lede
        paras.insert(0, Para(lede["paragraphs"][0], (lede["id"], 0), tags=["new-lede"]))
    first = paras[0]
    if rng.random() < knobs.dateline:
        first.text = restyle_dateline(doc.get("dateline") or "", rng) + first.text
        first.tags.append("dateline-changed")
    elif doc.get("dateline"):
        first.text = f"{doc['dateline'].strip()} {first.text}"
    if rng.random() < knobs.caps_lede:
        first.text = first.text.upper()
        first.tags.append("caps-lede")
    if rng.random() < knobs.house_style:
        guillemets = rng.random() < 0.25
        for p in paras:
            styled = house_style(p.text, rng, guillemets)
            if styled != p.text:
                p.text = styled
                p.tags.append("house-style")
    if rng.random() < knobs.hyphenate:
        for p in paras:
            count = rng.choice((0, 1, 1, 2, 3))
            if count:
                hyphenated = hyphenate(p.text, count, rng)
                if hyphenated != p.text:
                    p.text = hyphenated
                    p.tags.append("hyphenated")
    if rng.random() < knobs.noise:
        rate = 0.002 + (knobs.noise_max - 0.002) * rng.random() ** knobs.noise_skew
        for p in paras:
            if rng.random() < knobs.noise_paragraph:
                p.text, edits = add_ocr_noise(p.text, rate, rng)
                if edits:
                    p.tags.append(f"noise:{100 * edits / max(1, len(p.text)):.1f}%")
    title = doc["title"] or ""
    return Printed(doc["id"], "reprint", title.title() if rng.random() < 0.5 else title, paras)


def load_corpus(path: Path) -> list[dict]:
    """Read the Reuters-21578 JSONL (one dispatch per line)."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def scored_count(doc: dict) -> int:
    """Paragraphs of a dispatch long enough to score."""
    return sum(word_count(p) >= MIN_WORDS for p in doc["paragraphs"])


@dataclass(frozen=True)
class Selection:
    """The Reuters dispatches the set is made of, by role."""

    sources: list[dict]
    distractors: list[dict]
    templates: list[dict]
    ledes: list[dict]


def select(
    docs: Sequence[dict],
    sources: int,
    distractors: int,
    templates: int,
    ledes: int,
    rng: random.Random,
) -> Selection:
    """Pick sources, distractors, templated dispatches and spare ledes, all distinct.

    One dispatch per normalised title, so Reuters' own re-sends of a story do
    not enter the set as unrelated dispatches. Templated dispatches are taken
    only when none of their paragraphs repeats one already taken.
    """
    order = list(docs)
    rng.shuffle(order)
    titles: set[str] = set()
    template_texts: set[str] = set()
    picked: dict[str, list[dict]] = {"sources": [], "distractors": [], "templates": [], "ledes": []}
    for doc in order:
        title = normalize_text(doc["title"] or "")
        if not doc["paragraphs"] or (title and title in titles):
            continue
        if is_template(doc):
            texts = {normalize_text(p) for p in doc["paragraphs"] if word_count(p) >= 4}
            if len(picked["templates"]) >= templates or texts & template_texts:
                continue
            template_texts |= texts
            picked["templates"].append(doc)
        elif len(picked["sources"]) < sources and scored_count(doc) >= 2:
            picked["sources"].append(doc)
        elif len(picked["distractors"]) < distractors:
            picked["distractors"].append(doc)
        elif len(picked["ledes"]) < ledes and word_count(doc["paragraphs"][0]) >= 15:
            picked["ledes"].append(doc)
        else:
            continue
        titles.add(title)
    return Selection(
        picked["sources"],
        picked["distractors"],
        picked["templates"],
        picked["ledes"],
    )


def build(
    docs: Sequence[dict],
    seed: int,
    sources: int,
    distractors: int,
    templates: int,
    knobs: Knobs,
) -> tuple[list[dict], dict]:
    """Build the set: the JSONL records and the truth document."""
    rng = random.Random(seed)
    most_reprints = len(knobs.reprint_weights)
    sel = select(docs, sources, distractors, templates, sources * most_reprints, rng)
    printed: list[Printed] = []
    printed += [original(d, "distractor") for d in sel.distractors]
    printed += [original(d, "template") for d in sel.templates]
    ledes = iter(sel.ledes)
    for doc in sel.sources:
        printed.append(original(doc, "original"))
        copies = rng.choices(range(1, most_reprints + 1), knobs.reprint_weights)[0]
        for _ in range(copies):
            printed.append(reprint(doc, ledes, knobs, rng))
    rng.shuffle(printed)
    generator = {
        "seed": seed,
        "sources": sources,
        "distractors": distractors,
        "templates": templates,
        "knobs": asdict(knobs),
    }
    return to_records(printed, {d["id"]: d for d in docs}, generator)


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FRENCH_SEED = FIXTURES / "anadolu-libye-fr.txt"
FRENCH_PAIRS = FIXTURES / "figures-fr.jsonl"


def french_corpus(seed_path: Path, pairs_path: Path) -> tuple[list[dict], list[dict]]:
    """French dispatches this project may ship, as corpus records, and the figure pairs.

    The seed's dispatches (read by dedup's own text reader), then one
    dispatch per pair of ``figures-fr.jsonl`` holding its first paragraph;
    the second paragraph of a pair is the same story told with figures
    written otherwise ("huitième" for "8e", "51'000" for "51 000") or a
    different story with other figures ("17e journée" for "16e").
    """
    from dedup.readers import read_paths  # the benchmarks run in the project's environment

    docs = [
        {"id": f"fr-seed-{n}", "title": d.title, "paragraphs": [p.text for p in d.paragraphs]}
        for n, d in enumerate(read_paths([str(seed_path)]), start=1)
    ]
    pairs = [json.loads(line) for line in pairs_path.read_text(encoding="utf-8").splitlines()]
    docs += [
        {"id": pair["id"], "title": "", "paragraphs": pair["paragraphs"][:1]} for pair in pairs
    ]
    docs += [
        {"id": f"{pair['id']}/b", "title": "", "paragraphs": pair["paragraphs"][1:]}
        for pair in pairs
        if pair["figures"] == "other"
    ]
    return docs, pairs


def build_french(seed: int, knobs: Knobs) -> tuple[list[dict], dict]:
    """A reprint set in French from ``french_corpus``: every seed dispatch and pair dispatch
    is a source with its reprints; each pair's second paragraph is a dispatch of its own,
    labelled as its first (same figures, written otherwise) or on its own (other figures:
    a hard negative, like Reuters' templates)."""
    docs, pairs = french_corpus(FRENCH_SEED, FRENCH_PAIRS)
    by_id = {d["id"]: d for d in docs}
    rng = random.Random(seed)
    printed: list[Printed] = []
    no_ledes: Iterator[dict] = iter(())
    others = {f"{pair['id']}/b" for pair in pairs}
    for doc in docs:
        if doc["id"] in others:
            printed.append(original(doc, "template"))
            continue
        printed.append(original(doc, "original"))
        copies = rng.choices(range(1, len(knobs.reprint_weights) + 1), knobs.reprint_weights)[0]
        printed += [reprint(doc, no_ledes, knobs, rng) for _ in range(copies)]
    for pair in pairs:
        if pair["figures"] == "same":
            variant = Para(
                pair["paragraphs"][1], (pair["id"], 0), tags=["figures-written-otherwise"]
            )
            printed.append(Printed(pair["id"], "variant", "", [variant]))
    rng.shuffle(printed)
    generator = {"seed": seed, "corpus": "french", "knobs": asdict(knobs)}
    return to_records(printed, by_id, generator)


_FIGURES = re.compile(
    r"\d[\d,./]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
    r"|half|quarter)\b"
)


def figures(text: str) -> list[str]:
    """The figures of a normalised text, digits and number words, in order.

    >>> figures("shr loss five cts vs profit 1,200 dlrs")
    ['five', '1,200']
    """
    return _FIGURES.findall(text)


def near_identical(texts: Sequence[str], ratio: float = 0.9) -> dict[str, str]:
    """Map each normalised text to a representative of its near-identical group.

    Reuters re-sent and corrected stories repeat paragraphs with a word or a
    letter changed; the truth calls those duplicates of each other. Near
    identical means: the same figures and a character-level difflib ratio of
    at least ``ratio`` (0.9), found among MinHash-LSH candidates (word 2-grams,
    Jaccard >= 0.4), then joined transitively.
    """
    keys = sorted({normalize_text(t) for t in texts})
    lsh = MinHashLSH(threshold=0.4, num_perm=64)
    words = [k.split() for k in keys]
    shingles = [{" ".join(w[i : i + 2]).encode() for i in range(max(1, len(w) - 1))} for w in words]
    sketches = MinHash.bulk(shingles, num_perm=64, seed=1, hashfunc=zlib.crc32)
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, sketch in enumerate(sketches):
        for j in lsh.query(sketch):
            a, b = keys[i], keys[j]
            if figures(a) != figures(b) or find(i) == find(j):
                continue
            if SequenceMatcher(None, a, b, autojunk=False).ratio() >= ratio:
                parent[find(i)] = find(j)
        lsh.insert(i, sketch)
    return {key: keys[find(i)] for i, key in enumerate(keys)}


def to_records(
    printed: Sequence[Printed], by_id: dict[str, dict], generator: dict
) -> tuple[list[dict], dict]:
    """Give documents opaque ids and resolve truth labels (see the module docstring)."""
    # Templated paragraphs are alike by design: only identical text makes them duplicates.
    origin_texts = [
        by_id[p.origin[0]]["paragraphs"][p.origin[1]]
        for doc in printed
        if doc.role != "template"
        for p in doc.paras
        if p.origin is not None
    ]
    representative = near_identical(origin_texts)
    label_of_text: dict[str, str] = {}
    records: list[dict] = []
    truth_docs: dict[str, dict] = {}
    for n, doc in enumerate(printed, 1):
        doc_id = f"wire-{n:05d}"
        labels: list[str | None] = []
        scored: list[bool] = []
        for para in doc.paras:
            label = None
            if para.origin is not None:
                source_text = by_id[para.origin[0]]["paragraphs"][para.origin[1]]
                key = normalize_text(source_text)
                key = representative.get(key, key)
                label = label_of_text.setdefault(key, f"t{len(label_of_text) + 1}")
            labels.append(label)
            scored.append(not para.merged and word_count(para.text) >= MIN_WORDS)
        paragraphs = [p.text for p in doc.paras]
        records.append({"id": doc_id, "title": doc.title, "paragraphs": paragraphs})
        truth_docs[doc_id] = {
            "origin": doc.origin,
            "role": doc.role,
            "labels": labels,
            "scored": scored,
            "transforms": [p.tags for p in doc.paras],
        }
    # A label with fewer than two scored paragraphs names a unique paragraph.
    counts = Counter(
        label
        for d in truth_docs.values()
        for label, ok in zip(d["labels"], d["scored"], strict=True)
        if ok and label
    )
    for d in truth_docs.values():
        d["labels"] = [lab if lab and counts[lab] >= 2 else None for lab in d["labels"]]
    roles = Counter(d["role"] for d in truth_docs.values())
    merged_texts = len(representative) - len(set(representative.values()))
    truth = {
        "schema": TRUTH_SCHEMA,
        "generator": generator,
        "min_words": MIN_WORDS,
        "rules": {
            "label": "same origin text: normalised identity (NFKC, casefold, ASCII quotes,"
            " whitespace), or near-identical (same figures, difflib ratio >= 0.9)",
            "dateline": "not part of the origin text",
            "merged": "two paragraphs run together: not scored",
            "new_lede": "lede of a dispatch not otherwise in the set, labelled by its text",
            "templates": "no two templated paragraphs share normalised text: not duplicates",
            "scored": f"{MIN_WORDS}+ whitespace words as printed, and not merged",
        },
        "stats": {
            "documents": len(records),
            "roles": dict(sorted(roles.items())),
            "paragraphs": sum(len(r["paragraphs"]) for r in records),
            "scored": sum(sum(d["scored"]) for d in truth_docs.values()),
            "near_identical_origin_texts_merged": merged_texts,
            "duplicate_groups": sum(1 for c in counts.values() if c >= 2),
            "true_pairs": sum(c * (c - 1) // 2 for c in counts.values()),
        },
        "documents": truth_docs,
    }
    return records, truth


def truth_path(output: Path) -> Path:
    """Where the truth file for a set goes: ``NAME.truth.json`` beside ``NAME.jsonl``."""
    return output.with_name(output.name.removesuffix(".jsonl") + ".truth.json")


def write_set(records: list[dict], truth: dict, output: Path) -> Path:
    """Write the JSONL set and its truth file; return the truth path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    path = truth_path(output)
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the set and print its statistics."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="reuters21578.jsonl")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sources", type=int, default=1500, help="dispatches to reprint")
    parser.add_argument(
        "--distractors",
        type=int,
        default=None,
        help="untouched unrelated dispatches (default: as many as sources)",
    )
    parser.add_argument(
        "--templates",
        type=int,
        default=None,
        help="templated earnings/dividend dispatches (default: 2/3 of sources)",
    )
    parser.add_argument(
        "--noise-max",
        type=float,
        default=Knobs.noise_max,
        help="top of the per-reprint OCR noise rate (fraction of characters)",
    )
    parser.add_argument(
        "--french",
        action="store_true",
        help="build the French set from the seed and fixtures/figures-fr.jsonl instead",
    )
    parser.add_argument("--output", type=Path, default=Path("benchmarks/data/reprints.jsonl"))
    args = parser.parse_args(argv)
    if args.french:
        # French copy has no Reuters datelines, no spare ledes to put on top.
        knobs = Knobs(noise_max=args.noise_max, dateline=0.0, new_lede=0.0)
        records, truth = build_french(args.seed, knobs)
        path = write_set(records, truth, args.output)
        print(f"wrote {args.output} and {path}: {json.dumps(truth['stats'])}")
        return 0
    if not args.corpus.exists():
        print(f"error: corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    distractors = args.sources if args.distractors is None else args.distractors
    templates = 2 * args.sources // 3 if args.templates is None else args.templates
    knobs = Knobs(noise_max=args.noise_max)
    records, truth = build(
        load_corpus(args.corpus), args.seed, args.sources, distractors, templates, knobs
    )
    path = write_set(records, truth, args.output)
    print(f"wrote {args.output} and {path}: {json.dumps(truth['stats'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
