"""Units: the distinct normalised texts of a batch, each with a stable id and its occurrences.

Paragraphs with the same normalised text are exact duplicates of one another;
from here on the pipeline handles each text once, as a *unit*. A unit's row
(its position in ``Units``) is its name inside one run; its **stable id**, a
hash of the normalised text, is its name across runs, machines and releases:
what an index stores and what a Spark job joins on.

Paragraphs are taken in **canonical order** (``Document.order_key``: dated
documents oldest first, then source, position and id), so unit rows, and
with them every tie-break downstream, depend on the documents only, never
on the order in which files were named.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.dates import DATE_FORMS
from dedup.errors import InputError
from dedup.records import Document


def unit_id(text: str) -> int:
    """The stable id of a normalised text: 63 bits of its BLAKE2b hash (fits SQLite's INTEGER).

    >>> unit_id("reuter")
    5363469657550208790
    """
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def unit_key(unit: int) -> str:
    """A unit id as 16 hexadecimal digits, as reports and baselines write it.

    >>> unit_key(unit_id("reuter"))
    '4a6edf3c95ddbf16'
    """
    return f"{unit:016x}"


def canonical_order(documents: Iterable[Document]) -> list[Document]:
    """``documents`` sorted by ``Document.order_key``: the order that decides canonical members.

    A date that cannot be read is an input error (it would silently change
    which copy is the source).
    """
    documents = list(documents)
    for document in documents:
        if document.date is not None and document.order_key()[0]:
            raise InputError(
                f"{document.source}: document {document.id!r}: unrecognised date "
                f"{document.date!r} ({DATE_FORMS})"
            )
    return sorted(documents, key=Document.order_key)


@dataclass(frozen=True, slots=True)
class Units:
    """Distinct normalised texts in order of first occurrence, and where each occurs.

    ``of_paragraph[p]`` is the unit row of paragraph ``p`` (paragraphs in the
    order given); unit ``u`` occurs at paragraphs
    ``places[bounds[u]:bounds[u + 1]]``, in that order.
    """

    texts: list[str]
    ids: np.ndarray
    of_paragraph: np.ndarray
    places: np.ndarray
    bounds: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)

    def occurrences(self, unit: int) -> list[int]:
        """The paragraphs (positions) where unit ``unit`` occurs, in order."""
        return self.places[self.bounds[unit] : self.bounds[unit + 1]].tolist()

    def counts(self) -> np.ndarray:
        """How many paragraphs each unit occurs at."""
        return np.diff(self.bounds)


def distinct_units(normalized: Sequence[str]) -> Units:
    """The units of paragraphs whose normalised texts are ``normalized`` (in paragraph order)."""
    first: dict[str, int] = {}
    of_paragraph = np.fromiter(
        (first.setdefault(text, len(first)) for text in normalized),
        dtype=np.int64,
        count=len(normalized),
    )
    # Occurrences of each unit, in paragraph order: a stable sort groups them.
    places = np.argsort(of_paragraph, kind="stable")
    bounds = np.searchsorted(of_paragraph[places], np.arange(len(first) + 1))
    texts = list(first)
    ids = np.fromiter((unit_id(text) for text in texts), dtype=np.int64, count=len(texts))
    return Units(texts=texts, ids=ids, of_paragraph=of_paragraph, places=places, bounds=bounds)
