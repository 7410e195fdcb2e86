"""The typed records that flow through the pipeline (frozen, slotted dataclasses).

``Kind`` is the one vocabulary of findings: a cluster's kind, a member's
relation to its canonical member, the ``--fail-on`` policy, the phrase a
text report prints and the rule id a CI report files it under all come from
it, nowhere else.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # records are imported by the command line before NumPy is needed
    import numpy as np

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
    def label(self) -> str:
        """A short name for CI annotations and rule names: ``Near-duplicate paragraph``."""
        return _LABELS[self]

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
_LABELS = {
    Kind.EXACT: "Exact duplicate paragraph",
    Kind.NEAR: "Near-duplicate paragraph",
    Kind.PARTIAL: "Partial reuse of a paragraph",
    Kind.FIGURES: "Same paragraph with other figures",
    Kind.BOILERPLATE: "Repeated boilerplate",
}
_RULE_IDS = {
    Kind.EXACT: "exact-duplicate",
    Kind.NEAR: "near-duplicate",
    Kind.PARTIAL: "partial-reuse",
    Kind.FIGURES: "figures-variant",
    Kind.BOILERPLATE: "boilerplate",
}

#: ``--fail-on`` values: ``none``, ``any`` (every content kind), ``new`` (content kinds
#: that a baseline does not accept), or one kind.
FAIL_POLICIES: tuple[str, ...] = ("none", "any", "new", *(kind.value for kind in Kind))


def failing_kinds(policy: str) -> frozenset[Kind]:
    """The kinds a ``--fail-on`` policy fails on.

    >>> sorted(k.value for k in failing_kinds("any"))
    ['exact', 'near', 'partial']
    >>> failing_kinds("none")
    frozenset()
    """
    if policy == "none":
        return frozenset()
    if policy in ("any", "new"):
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
    #: First and last line of the headline that opened the dispatch in its source,
    #: where the input has lines and the dispatch has a headline.
    title_lines: tuple[int, int] | None = None
    #: When an index received it (ISO 8601, UTC), for documents read back from an index.
    added: str | None = None

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


#: The relations a verified pair can show, by the code column arrays store (0: none).
RELATIONS: tuple[Kind | None, ...] = (None, Kind.NEAR, Kind.FIGURES, Kind.PARTIAL)


@dataclass(frozen=True, slots=True)
class Matches:
    """Verified pairs as columns: unit rows ``left < right``, relation codes (``RELATIONS``)
    and ``(pairs, 5)`` scores (the fields of ``Scores``, in order)."""

    left: np.ndarray
    right: np.ndarray
    codes: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        """No match."""
        import numpy as np

        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0, dtype=np.int8), np.zeros((0, 5)))

    def __len__(self) -> int:
        return len(self.left)

    def __iter__(self) -> Iterator[Match]:
        for left, right, code, values in zip(
            self.left.tolist(),
            self.right.tolist(),
            self.codes.tolist(),
            self.scores.tolist(),
            strict=True,
        ):
            # A match relates by construction: its code is never 0.
            kind = cast(Kind, RELATIONS[code])
            yield Match(left, right, kind, Scores(*values))

    def pairs(self, kind: Kind) -> np.ndarray:
        """The ``(m, 2)`` unit pairs of one relation."""
        import numpy as np

        chosen = self.codes == RELATIONS.index(kind)
        return np.stack((self.left[chosen], self.right[chosen]), axis=1)


@dataclass(frozen=True, slots=True)
class Member:
    """One location of a cluster, with its relation and scores to the cluster's canonical member.

    ``relation`` is ``exact`` (same text as the canonical), ``near``,
    ``partial`` (reuses part of it, or the other way round) or ``figures``
    (alike but for the figures). ``unit`` is the stable id of the paragraph's
    normalised text (``dedup.units.unit_id``). ``accepted``: a baseline lists
    this copy as a known repeat (``dedup.baseline``).
    """

    paragraph: Paragraph
    scores: Scores
    relation: Kind
    unit: int = 0
    accepted: bool = False


@dataclass(frozen=True, slots=True)
class Cluster:
    """Paragraphs that repeat one another; ``members[canonical]`` is the source of the others."""

    id: str
    kind: Kind
    members: tuple[Member, ...]
    canonical: int = 0
    #: Copies held in an index beyond those listed (a check lists the earliest copies of a
    #: text that an index holds many times).
    unlisted: int = 0


#: Where a paragraph is: its document's id and its position there.
Place = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Pairing:
    """Two paragraphs of one cluster as a report relates them: the cluster's kind, each
    one's relation and scores to the canonical member, and where the canonical is."""

    kind: Kind
    relation: Kind
    scores: Scores
    other_relation: Kind
    other_scores: Scores
    canonical: Place


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not read, and why: a file ``--skip-bad`` went past, or a folder
    link that is not followed. ``source`` is the path as named or found."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a renderer needs: what was read, what was found, with which settings.

    ``seconds`` is the wall time of the scan, or None when it is not to be
    reported (it would make two reports of the same input differ); ``skipped``
    the inputs that were not read.
    """

    documents: tuple[Document, ...]
    clusters: tuple[Cluster, ...]
    params: dict[str, object] = field(default_factory=dict)
    seconds: float | None = None
    #: Inputs not read (sorted by source), each with its reason.
    skipped: tuple[Skipped, ...] = ()
    #: Indexed documents whose paragraphs the clusters hold, when documents were checked
    #: against an index (only those paragraphs); ``documents`` are the ones checked.
    indexed: tuple[Document, ...] = ()

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

    def pairs(self, of: Collection[str]) -> dict[tuple[Place, Place], Pairing]:
        """Every pair of paragraphs that share a cluster, the first one of a document in
        ``of``, by places: what two reports of overlapping documents can be compared on."""
        found = {}
        for cluster in self.clusters:
            canonical = cluster.members[cluster.canonical].paragraph
            for member in cluster.members:
                if member.paragraph.doc not in of:
                    continue
                for other in cluster.members:
                    if other is not member:
                        found[(_place(member.paragraph), _place(other.paragraph))] = Pairing(
                            cluster.kind,
                            member.relation,
                            member.scores,
                            other.relation,
                            other.scores,
                            _place(canonical),
                        )
        return found

    def has_findings(self, policy: str) -> bool:
        """Whether a cluster of a kind that ``policy`` (``--fail-on``) fails on is present;
        for ``new``, one with a copy that no baseline accepts."""
        kinds = failing_kinds(policy)
        return any(
            cluster.kind in kinds
            and (policy != "new" or not all(m.accepted for m in cluster.members))
            for cluster in self.clusters
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One repeat to report: ``member`` of ``cluster`` repeats ``reference``.

    ``reference`` is the cluster's canonical member, except when a baseline
    accepts the canonical's text in other files and the canonical itself is
    the new copy: then it is the first accepted member.
    """

    cluster: Cluster
    member: Member
    reference: Member

    @property
    def pair(self) -> Member:
        """The member whose relation and scores describe this pair (they are to the canonical)."""
        canonical = self.cluster.members[self.cluster.canonical]
        return self.reference if self.member is canonical else self.member

    @property
    def kind(self) -> Kind:
        """What the repeat is: the pair's relation, or boilerplate in a boilerplate cluster."""
        return Kind.BOILERPLATE if self.cluster.kind is Kind.BOILERPLATE else self.pair.relation

    @property
    def others(self) -> tuple[Member, ...]:
        """Every other copy in the cluster: the reference first, then in cluster order."""
        rest = (m for m in self.cluster.members if m is not self.member and m is not self.reference)
        return (self.reference, *rest)


def _place(paragraph: Paragraph) -> Place:
    return (paragraph.doc, paragraph.index)
