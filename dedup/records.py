"""The typed records that flow through the pipeline (frozen, slotted dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a document, as read, with where it came from."""

    doc: str
    index: int
    source: str
    line: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """One dispatch: an id, its source path, an optional title and its paragraphs."""

    id: str
    source: str
    title: str | None
    paragraphs: tuple[Paragraph, ...]
    date: str | None = None
    #: The encoding the source was decoded with.
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Scores:
    """The evidence for one confirmed pair."""

    cosine: float
    jaccard: float
    containment: float


@dataclass(frozen=True, slots=True)
class Match:
    """A verified relation between two distinct paragraph texts (unit ids, ``left < right``)."""

    left: int
    right: int
    kind: str
    scores: Scores


@dataclass(frozen=True, slots=True)
class Member:
    """One location of a cluster, with its relation and scores to the cluster's canonical member.

    ``relation`` is ``exact`` (same text as the canonical), ``near``,
    ``partial`` (reuses part of it, or the other way round) or ``figures``
    (alike but for the figures).
    """

    paragraph: Paragraph
    scores: Scores
    relation: str


@dataclass(frozen=True, slots=True)
class Cluster:
    """Paragraphs that repeat one another; ``members[canonical]`` is the earliest occurrence."""

    id: str
    kind: str
    members: tuple[Member, ...]
    canonical: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a renderer needs: what was read, what was found, with which settings."""

    documents: tuple[Document, ...]
    clusters: tuple[Cluster, ...]
    params: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def paragraph_count(self) -> int:
        """Number of paragraphs read across all documents."""
        return sum(len(d.paragraphs) for d in self.documents)
