"""Deterministic synthetic wire copy for dedup benchmarks.

Writes JSON Lines in dedup's input format, one dispatch per line::

    {"id": "syn-000001", "title": "...", "date": "...", "paragraphs": ["...", ...]}

The copy imitates a wire service's output over a news cycle:

- a pool of running **stories** (a fixed number at a time, so memory stays
  bounded whatever the size: stories retire and new ones start);
- each story has **background paragraphs** that recur across its dispatches,
  verbatim or edited: a letter dropped, two words swapped, a sentence dropped,
  OCR-like noise (``c``/``e``, ``rn``/``m``). Edits never touch figures. A few
  recurrences instead *update a figure*: the same wording, a different number,
  which is a different fact and not a duplicate;
- dispatches of 4-12 paragraphs: a fresh lead, fresh body paragraphs drawn from
  a Zipf-weighted vocabulary of pseudo-words and common wire words (with
  figures: prices, percentages, tonnages, years), recurring background, and a
  sign-off (``Reuter``, ``(Reporting by X; Editing by Y)``);
- occasional **re-sends** (``CORRECTED -``): a previous dispatch of the story
  again, one paragraph corrected.

Everything comes from one seeded ``random.Random``: the same ``--seed`` and
``--paragraphs`` give a byte-identical file. ``--labels`` writes, per
paragraph, where it came from (fresh, background copy and its edits, sign-off,
re-send), for quality checks against known truth.

Example::

    python benchmarks/synthetic.py --paragraphs 100000 --seed 1 \\
        --output benchmarks/data/synthetic-100k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")

# Common wire words keep the pseudo-word text looking like prose; they are
# drawn far more often than the pseudo-words, as function words are in news.
WIRE_TEXT = (
    "the of and to a in said for on that is was it with by at from as its be would has have "
    "will an which were this but are had not their after also last year pct mln dlrs billion "
    "company market government prices week share new first trade bank officials told "
    "reporters spokesman expected rose fell up down than about over more per month quarter "
    "sales profit net loss shares exports imports output production crop tonnes oil rate "
    "rates central minister agreement talks sources industry analysts earlier since could "
    "may into against between under total current next further record higher lower says"
)
WIRE_WORDS = tuple(WIRE_TEXT.split())
ONSETS = (
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "ch",
    "cr",
    "dr",
    "gr",
    "pl",
    "pr",
    "sh",
    "st",
    "tr",
    "th",
    "rn",
    "sc",
)
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")
CODAS = ("", "", "", "n", "r", "s", "l", "m", "t", "rn", "ck", "nd", "st", "ce")
GIVEN_NAMES = (
    "Anna",
    "Peter",
    "Maria",
    "John",
    "Leila",
    "Ahmed",
    "Sophie",
    "Carlos",
    "Yuki",
    "David",
    "Elena",
    "Omar",
    "Claire",
    "Ivan",
    "Nadia",
    "Thomas",
    "Grace",
    "Samir",
)
FAMILY_NAMES = (
    "Smith",
    "Dupont",
    "Kovacs",
    "Haddad",
    "Tanaka",
    "Olsen",
    "Moreau",
    "Rossi",
    "Novak",
    "Garcia",
    "Schmidt",
    "Brennan",
    "Okafor",
    "Lindqvist",
    "Petrov",
)
UNITS = (
    "pct",
    "mln dlrs",
    "billion dlrs",
    "tonnes",
    "cts a share",
    "mln tonnes",
    "bags",
    "barrels per day",
    "points",
    "yen",
    "stg",
)

VOCABULARY_SIZE = 4000
BAG_SIZE = 2**16
SENTENCE_COUNTS = (1, 1, 1, 2, 2, 3)
ACTIVE_STORIES = 300
STORY_RETIRE_PROBABILITY = 0.01
BACKGROUND_PROBABILITY = 0.35
VERBATIM_PROBABILITY = 0.55
FIGURE_UPDATE_PROBABILITY = 0.05
RESEND_PROBABILITY = 0.04
EDIT_KINDS = ("drop-letter", "swap-words", "drop-sentence", "ocr-noise")
OCR_CONFUSIONS = (("c", "e"), ("e", "c"), ("rn", "m"), ("m", "rn"))


@dataclass(slots=True)
class Story:
    """A running story: its names, its headline and its recurring background."""

    number: int
    names: list[str]
    headline: str
    background: list[str]
    last_dispatch: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    last_dispatch_id: str = ""


@dataclass(slots=True)
class Dispatch:
    """One generated dispatch with a provenance label per paragraph."""

    id: str
    title: str
    date: str
    paragraphs: list[str]
    labels: list[dict[str, object]]


class WireCopyGenerator:
    """Seeded generator of synthetic dispatches; all randomness comes from ``rng``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self._vocabulary = self._make_vocabulary(VOCABULARY_SIZE)
        # A bag drawn uniformly gives Zipf-like frequencies without a bisect per word;
        # stretched to 2**16 entries, one draw is two random bytes (see ``sentence``).
        weighted: list[str] = []
        for rank, word in enumerate(self._vocabulary):
            weighted.extend([word] * max(1, 400 // (rank + 1)))
        for word in WIRE_WORDS:
            weighted.extend([word] * 80)
        self._bag = [weighted[i * len(weighted) // BAG_SIZE] for i in range(BAG_SIZE)]
        self._stories: list[Story] = []
        self._story_count = 0
        self._dispatch_count = 0
        self._clock = datetime(1987, 2, 26, 6, 0)
        self._edits: dict[str, Callable[[str], str]] = {
            "drop-letter": self._drop_letter,
            "swap-words": self._swap_words,
            "drop-sentence": self._drop_sentence,
            "ocr-noise": self._ocr_noise,
        }

    def _make_vocabulary(self, size: int) -> list[str]:
        rng = self.rng
        words: dict[str, None] = {}
        while len(words) < size:
            syllables = rng.choice((1, 1, 2, 2, 2, 3))
            word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
            words[word + rng.choice(CODAS)] = None
        return list(words)

    # -- text -----------------------------------------------------------------

    # ``random.choice``/``randint`` cost a bisect of Python calls each; one
    # ``random()`` per draw keeps 1M paragraphs well under a minute.
    def _pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def _between(self, low: int, high: int) -> int:
        """A uniform integer in [low, high]."""
        return low + int(self._random() * (high - low + 1))

    def figure(self) -> str:
        """A figure as wire copy writes it: counts, thousands, decimals, years, units."""
        between, unit = self._between, self._pick(UNITS)
        form = self._random()
        if form < 0.25:
            return f"{between(2, 99)}.{between(1, 99)} {unit}"
        if form < 0.45:
            return f"{between(1, 999)},{between(0, 999):03d} {unit}"
        if form < 0.6:
            return str(between(1975, 1988))
        return f"{between(2, 500)} {unit}"

    def sentence(self, names: list[str], min_words: int = 6, max_words: int = 22) -> str:
        """One sentence of prose: story names, vocabulary words, figures, maybe a comma."""
        # The hot loop of the generator: plain arithmetic on random() instead of
        # randint/choice, and two random bytes per word looked up in C.
        random = self._random
        count = min_words + int(random() * (max_words - min_words + 1))
        draws = memoryview(self.rng.randbytes(2 * count)).cast("H")
        words = list(itemgetter(*draws)(self._bag))
        if names and random() < 0.6:
            words[int(random() * count)] = names[int(random() * len(names))]
        figures = random()
        if figures >= 0.2:
            words.insert(1 + int(random() * count), self.figure())
            if figures >= 0.8:
                words.insert(1 + int(random() * count), self.figure())
        if count > 10 and random() < 0.5:
            words[4 + int(random() * (count - 7))] += ","
        first = words[0]
        words[0] = first[0].upper() + first[1:]
        return " ".join(words) + "."

    def paragraph(self, names: list[str]) -> str:
        """A fresh paragraph of one to three sentences."""
        count = SENTENCE_COUNTS[int(self._random() * len(SENTENCE_COUNTS))]
        if count == 1:
            return self.sentence(names)
        return " ".join([self.sentence(names) for _ in range(count)])

    def person(self) -> str:
        return f"{self.rng.choice(GIVEN_NAMES)} {self.rng.choice(FAMILY_NAMES)}"

    def sign_off(self) -> str | None:
        """A closing line: the bare sign-off, a credit line, or nothing."""
        roll = self.rng.random()
        if roll < 0.5:
            return "Reuter"
        if roll < 0.8:
            return f"(Reporting by {self.person()}; Editing by {self.person()})"
        if roll < 0.85:
            return f"(Writing by {self.person()})"
        return None

    # -- edits ------------------------------------------------------------------

    def edit(self, text: str) -> tuple[str, list[str]]:
        """Apply one or two figure-preserving edits; return the text and the edit kinds."""
        applied: list[str] = []
        for _ in range(self.rng.choice((1, 1, 2))):
            kind = self.rng.choice(EDIT_KINDS)
            edited = self._edits[kind](text)
            if edited != text:
                text = edited
                applied.append(kind)
        if not applied:
            text = self._drop_letter(text)
            applied.append("drop-letter")
        return text, applied

    def _word_positions(self, words: list[str], min_length: int) -> list[int]:
        return [i for i, word in enumerate(words) if len(word) >= min_length and word.isalpha()]

    def _drop_letter(self, text: str) -> str:
        words = text.split(" ")
        positions = self._word_positions(words, 4)
        if not positions:
            return text
        i = self.rng.choice(positions)
        cut = self.rng.randrange(1, len(words[i]))
        words[i] = words[i][:cut] + words[i][cut + 1 :]
        return " ".join(words)

    def _swap_words(self, text: str) -> str:
        words = text.split(" ")
        pairs = [
            i
            for i in range(len(words) - 1)
            if words[i].isalpha() and words[i + 1].isalpha() and words[i] != words[i + 1]
        ]
        if not pairs:
            return text
        i = self.rng.choice(pairs)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)

    def _drop_sentence(self, text: str) -> str:
        sentences = text.split(". ")
        if len(sentences) < 3:
            # Dropping one of two sentences would leave a different paragraph, not an edit.
            return text
        del sentences[self.rng.randrange(len(sentences))]
        joined = ". ".join(sentences)
        return joined if joined.endswith(".") else joined + "."

    def _ocr_noise(self, text: str) -> str:
        words = text.split(" ")
        for source, target in self.rng.sample(OCR_CONFUSIONS, len(OCR_CONFUSIONS)):
            positions = [i for i, word in enumerate(words) if source in word and word.isalpha()]
            if positions:
                i = self.rng.choice(positions)
                words[i] = words[i].replace(source, target, 1)
                return " ".join(words)
        return text

    def update_figure(self, text: str) -> str | None:
        """The same paragraph with one figure changed, or None when it has none."""
        words = text.split(" ")
        positions = [i for i, word in enumerate(words) if word[:1].isdigit()]
        if not positions:
            return None
        i = self.rng.choice(positions)
        digits = [c for c in words[i] if c.isdigit()]
        old = digits[-1]
        new = self.rng.choice([d for d in "0123456789" if d != old])
        last = max(j for j, c in enumerate(words[i]) if c.isdigit())
        words[i] = words[i][:last] + new + words[i][last + 1 :]
        return " ".join(words)

    # -- stories and dispatches ---------------------------------------------------

    def new_story(self) -> Story:
        rng = self.rng
        self._story_count += 1
        names = [word.capitalize() for word in rng.sample(self._vocabulary, 3)]
        names.append(self.person())
        topic = rng.choices(self._bag, k=rng.randint(2, 4))
        headline = " ".join([names[0], *topic]).upper()
        background = [self.paragraph(names) for _ in range(rng.randint(2, 6))]
        return Story(self._story_count, names, headline, background)

    def pick_story(self) -> Story:
        rng = self.rng
        if len(self._stories) < ACTIVE_STORIES:
            self._stories.append(self.new_story())
            return self._stories[-1]
        slot = rng.randrange(len(self._stories))
        if rng.random() < STORY_RETIRE_PROBABILITY:
            self._stories[slot] = self.new_story()
        return self._stories[slot]

    def dispatch(self) -> Dispatch:
        """The next dispatch: a new one on a running story, or a corrected re-send."""
        rng = self.rng
        self._dispatch_count += 1
        self._clock += timedelta(seconds=rng.randint(20, 400))
        story = self.pick_story()
        dispatch_id = f"syn-{self._dispatch_count:07d}"
        title = story.headline
        if story.last_dispatch and rng.random() < RESEND_PROBABILITY:
            items = self._resend(story)
            title = f"CORRECTED - {title}"
        else:
            items = self._fresh_dispatch(story)
            story.last_dispatch, story.last_dispatch_id = items, dispatch_id
        return Dispatch(
            id=dispatch_id,
            title=title,
            date=self._clock.strftime("%d-%b-%Y %H:%M:%S").upper(),
            paragraphs=[text for text, _ in items],
            labels=[label for _, label in items],
        )

    def _fresh_dispatch(self, story: Story) -> list[tuple[str, dict[str, object]]]:
        rng = self.rng
        size = rng.randint(4, 12)
        closing = self.sign_off()
        body = size - 1 - (closing is not None)
        items: list[tuple[str, dict[str, object]]] = [
            (self.paragraph(story.names), {"kind": "lead"})
        ]
        unused = list(range(len(story.background)))
        rng.shuffle(unused)
        for _ in range(body):
            if unused and rng.random() < BACKGROUND_PROBABILITY:
                items.append(self._background_copy(story, unused.pop()))
            else:
                items.append((self.paragraph(story.names), {"kind": "fresh"}))
        if closing is not None:
            items.append((closing, {"kind": "sign-off"}))
        return items

    def _background_copy(self, story: Story, number: int) -> tuple[str, dict[str, object]]:
        rng = self.rng
        source = f"story-{story.number}/bg-{number}"
        text = story.background[number]
        if rng.random() < VERBATIM_PROBABILITY:
            return text, {"kind": "background", "source": source, "edits": []}
        if rng.random() < FIGURE_UPDATE_PROBABILITY:
            updated = self.update_figure(text)
            if updated is not None:
                return updated, {"kind": "figure-update", "source": source, "edits": []}
        edited, edits = self.edit(text)
        return edited, {"kind": "background", "source": source, "edits": edits}

    def _resend(self, story: Story) -> list[tuple[str, dict[str, object]]]:
        items = [
            (text, {**label, "resend_of": story.last_dispatch_id})
            for text, label in story.last_dispatch
        ]
        corrected = self.rng.randrange(len(items))
        text, label = items[corrected]
        items[corrected] = (self.edit(text)[0], {**label, "corrected": True})
        return items

    def dispatches(self, paragraphs: int) -> Iterator[Dispatch]:
        """Dispatches holding exactly ``paragraphs`` paragraphs (the last one cut)."""
        remaining = paragraphs
        while remaining > 0:
            dispatch = self.dispatch()
            if len(dispatch.paragraphs) > remaining:
                dispatch.paragraphs = dispatch.paragraphs[:remaining]
                dispatch.labels = dispatch.labels[:remaining]
            remaining -= len(dispatch.paragraphs)
            yield dispatch


def write_corpus(
    paragraphs: int, seed: int, output: TextIO, labels: TextIO | None = None
) -> tuple[int, int]:
    """Stream a synthetic corpus to ``output``; return (dispatches, paragraphs) written."""
    generator = WireCopyGenerator(seed)
    documents = written = 0
    for dispatch in generator.dispatches(paragraphs):
        record = {
            "id": dispatch.id,
            "title": dispatch.title,
            "date": dispatch.date,
            "paragraphs": dispatch.paragraphs,
        }
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        if labels is not None:
            for index, label in enumerate(dispatch.labels):
                labels.write(json.dumps({"doc": dispatch.id, "index": index, **label}) + "\n")
        documents += 1
        written += len(dispatch.paragraphs)
    return documents, written


def generate_file(
    paragraphs: int, seed: int, output: Path, labels: Path | None = None
) -> tuple[int, int]:
    """Write a synthetic corpus (and optional labels) to files; return the counts."""
    output.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary name first so an interrupted run never leaves a short corpus.
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        if labels is None:
            counts = write_corpus(paragraphs, seed, out)
        else:
            labels.parent.mkdir(parents=True, exist_ok=True)
            with labels.open("w", encoding="utf-8") as label_file:
                counts = write_corpus(paragraphs, seed, out, label_file)
    partial.replace(output)
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, required=True, help="paragraphs to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--output", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--labels", type=Path, help="also write per-paragraph provenance JSONL")
    args = parser.parse_args(argv)
    if args.paragraphs < 1:
        parser.error(f"--paragraphs must be at least 1, got {args.paragraphs}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    documents, paragraphs = generate_file(args.paragraphs, args.seed, args.output, args.labels)
    seconds = time.perf_counter() - started
    print(
        f"wrote {paragraphs:,} paragraphs in {documents:,} dispatches to {args.output} "
        f"in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
