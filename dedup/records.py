"""The typed records that flow through the pipeline (frozen, slotted dataclasses).

``Kind`` is the one vocabulary of findings: a cluster's kind, a member's
relation to its canonical member, the ``--fail-on`` policy, the phrase a
text report prints and the rule id a CI report files it under all come from
it, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from dedup.dates import parse_date


class Kind(str, Enum):
    """What a repeat is. The value is the name used in reports, settings and flags."""

    EXACT = "exact"
    NEAR = "near"
    PARTIAL = "partial"
    FIGURES = "figures"
    BOILERPLATE = "boilerplate"

    def __str__(self) -> str:
        return self.value

    @property
    def phrase(self) -> str:
        """How a text report relates a copy to its canonical: ``near-duplicate of``."""
        return _PHRASES[self]

    @property
    def rule_id(self) -> str:
        """The stable rule id of this kind in CI reports (SARIF, Code Quality)."""
        return _RULE_IDS[self]

    @property
    def is_content(self) -> bool:
        """Whether this is repeated content (exact, near, partial), as ``--fail-on any`` means.

        Boilerplate (sign-offs, bylines) and figures variants (the same template
        with other numbers: different news) are reported, not failed on by ``any``.
        """
        return self in (Kind.EXACT, Kind.NEAR, Kind.PARTIAL)


_PHRASES = {
    Kind.EXACT: "exact duplicate of",
    Kind.NEAR: "near-duplicate of",
    Kind.PARTIAL: "partial reuse of",
    Kind.FIGURES: "same text, other figures than",
    Kind.BOILERPLATE: "boilerplate, exact duplicate of",
}
_RULE_IDS = {
    Kind.EXACT: "exact-duplicate",
    Kind.NEAR: "near-duplicate",
    Kind.PARTIAL: "partial-reuse",
    Kind.FIGURES: "figures-variant",
    Kind.BOILERPLATE: "boilerplate",
}

#: ``--fail-on`` values: ``none``, ``any`` (every content kind), or one kind.
FAIL_POLICIES: tuple[str, ...] = ("none", "any", *(kind.value for kind in Kind))


def failing_kinds(policy: str) -> frozenset[Kind]:
    """The kinds a ``--fail-on`` policy fails on.

    >>> sorted(k.value for k in failing_kinds("any"))
    ['exact', 'near', 'partial']
    >>> failing_kinds("none")
    frozenset()
    """
    if policy == "none":
        return frozenset()
    if policy == "any":
        return frozenset(kind for kind in Kind if kind.is_content)
    return frozenset({Kind(policy)})


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a document, as read, with where it came from.

    ``line`` is the 1-based line it starts on (None when the input has no
    lines, e.g. a JSON Lines paragraph list); ``column`` the 1-based column
    where it starts and ``end_line`` the line where it ends, when known.
    """

    doc: str
    index: int
    source: str
    line: int | None
    text: str
    column: int | None = None
    end_line: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One dispatch: an id, its source path, an optional title and date, its paragraphs."""

    id: str
    source: str
    title: str | None
    paragraphs: tuple[Paragraph, ...]
    #: The dispatch's date as given by the input (ISO 8601, RFC 2822, ...), or None.
    date: str | None = None
    #: The encoding the source was decoded with.
    encoding: str = "utf-8"
    #: Position of the dispatch inside its source when the source orders them
    #: (dispatches of one text file); 0 where order carries no meaning (records).
    ordinal: int = 0

    def order_key(self) -> tuple[bool, float, str, int, str]:
        """The key that orders documents for the canonical choice.

        Dated documents first, oldest first; then by source, position in the
        source and id. It depends on the documents only, never on the order
        in which files were named or records listed.
        """
        moment = parse_date(self.date) if self.date is not None else None
        stamp = moment.timestamp() if moment is not None else 0.0
        return (moment is None, stamp, self.source, self.ordinal, self.id)


@dataclass(frozen=True, slots=True)
class Scores:
    """The evidence for one confirmed pair."""

    cosine: float
    jaccard: float
    containment: float
    #: Share of both paragraphs' letters that line up (``dedup.align``).
    alignment: float = 0.0
    #: Share of the shorter paragraph's letters that line up in the longer.
    coverage: float = 0.0


#: The scores of a paragraph against itself.
SAME = Scores(cosine=1.0, jaccard=1.0, containment=1.0, alignment=1.0, coverage=1.0)


@dataclass(frozen=True, slots=True)
class Match:
    """A verified relation between two distinct paragraph texts (unit rows, ``left < right``)."""

    left: int
    right: int
    kind: Kind
    scores: Scores


@dataclass(frozen=True, slots=True)
class Member:
    """One location of a cluster, with its relation and scores to the cluster's canonical member.

    ``relation`` is ``exact`` (same text as the canonical), ``near``,
    ``partial`` (reuses part of it, or the other way round) or ``figures``
    (alike but for the figures). ``unit`` is the stable id of the paragraph's
    normalised text (``dedup.units.unit_id``).
    """

    paragraph: Paragraph
    scores: Scores
    relation: Kind
    unit: int = 0


@dataclass(frozen=True, slots=True)
class Cluster:
    """Paragraphs that repeat one another; ``members[canonical]`` is the source of the others."""

    id: str
    kind: Kind
    members: tuple[Member, ...]
    canonical: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a renderer needs: what was read, what was found, with which settings.

    ``seconds`` is the wall time of the scan, or None when it is not to be
    reported (it would make two reports of the same input differ).
    """

    documents: tuple[Document, ...]
    clusters: tuple[Cluster, ...]
    params: dict[str, object] = field(default_factory=dict)
    seconds: float | None = None

    @property
    def paragraph_count(self) -> int:
        """Number of paragraphs read across all documents."""
        return sum(len(d.paragraphs) for d in self.documents)

    @property
    def repeated_count(self) -> int:
        """Paragraphs that repeat their cluster's canonical member."""
        return sum(len(c.members) - 1 for c in self.clusters)

    def kind_counts(self) -> dict[str, int]:
        """Number of clusters of each kind present, in a stable (alphabetical) order."""
        counts: dict[str, int] = {}
        for cluster in self.clusters:
            counts[cluster.kind.value] = counts.get(cluster.kind.value, 0) + 1
        return dict(sorted(counts.items()))

    def has_findings(self, policy: str) -> bool:
        """Whether a cluster of a kind that ``policy`` (``--fail-on``) fails on is present."""
        kinds = failing_kinds(policy)
        return any(cluster.kind in kinds for cluster in self.clusters)
