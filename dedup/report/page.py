"""What the HTML report shows, derived from the report model: the page's own records.

Three views of one report, for an editor:

- the **summary**: inputs, settings, counts, the share of repeated words and
  two small plots;
- **by dispatch**: each dispatch that shares content with another, with the
  share of it that already ran, its paragraphs in the consolidated view
  (``dedup.consolidate``) and links both ways between copy and source;
- **clusters by impact**: the words an editor could cut, the canonical
  ("source") text once, each copy with its word-level differences.

"Source" is always the cluster's canonical member (``members[canonical]``),
"copy" every other member; nothing here assumes the source is listed first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from dedup.consolidate import (
    Consolidation,
    ParagraphKey,
    document_label,
    paragraph_key,
    plan_consolidation,
)
from dedup.dates import parse_date
from dedup.normalize import word_count
from dedup.records import Cluster, Document, Kind, Member, Paragraph, Report
from dedup.report.diff import diff_nodes
from dedup.report.markup import Node
from dedup.report.plots import Bar, bar_chart

#: How a copy relates to its source, from the copy's side, and from the source's side.
COPY_PHRASES = {
    Kind.EXACT: "already ran in",
    Kind.NEAR: "already ran, nearly the same, in",
    Kind.PARTIAL: "reuses part of",
    Kind.FIGURES: "same text with other figures as",
    Kind.BOILERPLATE: "boilerplate, as in",
}
SOURCE_PHRASES = {
    Kind.EXACT: "ran again in",
    Kind.NEAR: "ran again, nearly the same, in",
    Kind.PARTIAL: "reused in part by",
    Kind.FIGURES: "same text with other figures in",
    Kind.BOILERPLATE: "boilerplate, also in",
}
#: What each kind of cluster is, in an editor's words.
DESCRIPTIONS = {
    Kind.EXACT: "the same text",
    Kind.NEAR: "nearly the same text",
    Kind.PARTIAL: "paragraphs built from parts of another",
    Kind.FIGURES: "the same text with other figures: different news, not cut",
    Kind.BOILERPLATE: "short lines repeated as they are: sign-offs, bylines, credits",
}
#: A relation as a dispatch's one-line summary names it (boilerplate is not named).
RELATION_NAMES = {
    Kind.EXACT: "exact copies",
    Kind.NEAR: "near copies",
    Kind.PARTIAL: "partial reuse",
    Kind.FIGURES: "other figures",
    Kind.BOILERPLATE: "",
}
#: Section headings of the kinds listed apart, after the content clusters.
HEADINGS = {Kind.FIGURES: "Figures variants", Kind.BOILERPLATE: "Boilerplate"}
#: The sections clusters are listed in: content by impact first, then these, collapsed.
TRAILING_KINDS = (Kind.FIGURES, Kind.BOILERPLATE)
#: Content clusters shown open when the page loads (the rest are one line each).
OPEN_CLUSTERS = 5
#: Characters of the source text in a cluster's one-line summary.
SNIPPET_CHARS = 160
#: Back links listed under a source paragraph before "and N more".
MAX_BACK_LINKS = 3


@dataclass(frozen=True, slots=True)
class Place:
    """A paragraph as the page names it: its dispatch, its number there, its anchor."""

    paragraph: Paragraph
    dispatch: DispatchHead

    @property
    def number(self) -> int:
        """The 1-based paragraph number (``¶3``)."""
        return self.paragraph.index + 1

    @property
    def anchor(self) -> str:
        """The id of the paragraph in the dispatch view."""
        return f"{self.dispatch.anchor}p{self.number}"

    @property
    def href(self) -> str:
        """The link to the paragraph, or to its dispatch when the page lists no paragraphs of it."""
        return f"#{self.anchor}" if self.dispatch.listed else f"#{self.dispatch.anchor}"

    @property
    def location(self) -> str:
        """Where the paragraph is: ``path:line``, or the record id where the input has no lines
        (ids are unique across a scan; the dispatch shows its file)."""
        p = self.paragraph
        return f"{p.source}:{p.line}" if p.line is not None else p.doc


@dataclass(frozen=True, slots=True)
class DispatchHead:
    """A dispatch as named on the page: anchor, title (or id), date."""

    document: Document
    order: int
    label: str
    date: str | None
    iso_date: str | None
    listed: bool

    @property
    def anchor(self) -> str:
        """The id of the dispatch on the page."""
        return f"d{self.order}"


@dataclass(frozen=True, slots=True)
class Note:
    """One relation of a paragraph, as a line under it in the dispatch view: the cluster's
    kind, how the paragraph relates to the places named, and the cluster's anchor."""

    kind: Kind
    relation: Kind
    phrase: str
    places: tuple[Place, ...]
    more: int
    cluster: str
    score: str
    as_source: bool = False


@dataclass(frozen=True, slots=True)
class Removal:
    """Why a paragraph is left out of the consolidated copy: the source it repeats, and the
    note of that relation."""

    source: Place
    note: Note


@dataclass(frozen=True, slots=True)
class ParagraphView:
    """One paragraph in the dispatch view: its text, whether it is removed, its relations."""

    place: Place
    removed: Removal | None
    notes: tuple[Note, ...]
    #: Its position among the dispatch's paragraphs (its index, unless blank ones were left out).
    position: int


@dataclass(frozen=True, slots=True)
class DispatchView:
    """A dispatch that shares content with others, with its consolidated paragraphs."""

    head: DispatchHead
    paragraphs: tuple[ParagraphView, ...]
    ran: int
    counted: int
    word_share: float
    again: int
    related: int
    relations: tuple[str, ...]
    kinds: tuple[str, ...]
    resend_of: DispatchHead | None

    @property
    def share(self) -> int:
        """Percentage of its (non-boilerplate) paragraphs that already ran."""
        return round(100 * self.ran / self.counted) if self.counted else 0

    @property
    def decile(self) -> int:
        """The word share in tenths (0-10), for the share bar."""
        return round(10 * self.word_share)


@dataclass(frozen=True, slots=True)
class MemberView:
    """One member of a cluster as listed: where, how it relates, and how it differs."""

    place: Place
    relation: Kind
    score: str
    raw: str
    diff: tuple[Node, ...] | None


@dataclass(frozen=True, slots=True)
class ClusterView:
    """A cluster: its source, its copies, the words an editor could cut."""

    cluster: Cluster
    source: MemberView
    copies: tuple[MemberView, ...]
    #: Words of the copies the consolidated copy leaves out (exact and near copies).
    impact: int
    #: Words the partial copies take from the source (each copy's words times its containment).
    reused: int
    open: bool

    @property
    def anchor(self) -> str:
        """The id of the cluster on the page."""
        return self.cluster.id

    @property
    def snippet(self) -> str:
        """The start of the source text, for the cluster's one-line summary."""
        text = self.source.place.paragraph.text
        if len(text) <= SNIPPET_CHARS:
            return text
        # "...", not an ellipsis: Latin-1 text is stored at one byte a character.
        return text[: text.rfind(" ", 0, SNIPPET_CHARS) + 1 or SNIPPET_CHARS].rstrip() + " ..."

    @property
    def sources(self) -> str:
        """The files its members come from, for the filter's ``source:``."""
        return " ".join(sorted({m.place.paragraph.source for m in (self.source, *self.copies)}))


@dataclass(frozen=True, slots=True)
class KindRow:
    """A row of the clusters-by-kind table."""

    kind: Kind
    clusters: int
    copies: int
    words: int


@dataclass(frozen=True, slots=True)
class Page:
    """Everything the template shows."""

    report: Report
    lang: str
    sources: tuple[str, ...]
    words: int
    repeated_words: int
    ran: int
    kinds: tuple[KindRow, ...]
    dispatches: tuple[DispatchView, ...]
    quiet: tuple[DispatchHead, ...]
    content: tuple[ClusterView, ...]
    trailing: tuple[tuple[Kind, tuple[ClusterView, ...]], ...]
    similarity_plot: Markup
    share_plot: Markup
    params: dict[str, object] = field(default_factory=dict)

    @property
    def repeated_share(self) -> float:
        """Share of all words in paragraphs that already ran."""
        return self.repeated_words / self.words if self.words else 0.0


def score_phrase(member: Member) -> str:
    """The member's similarity to its source in words: ``97% identical``, ``67% reused``.

    >>> from dedup.records import Scores
    >>> p = Paragraph("d", 0, "s", 1, "x")
    >>> score_phrase(Member(p, Scores(0.9766, 0.97, 0.98), Kind.NEAR))
    '97% identical'
    >>> score_phrase(Member(p, Scores(0.5, 0.4, 0.667), Kind.PARTIAL))
    '67% reused'
    """
    scores = member.scores
    if member.relation in (Kind.EXACT, Kind.BOILERPLATE):
        return "same text"
    if member.relation is Kind.PARTIAL:
        return f"{round(100 * scores.containment)}% reused"
    # Rounded down and never 100%: only an exact copy is identical.
    alike = min(99, math.floor(100 * scores.cosine))
    if member.relation is Kind.FIGURES:
        return f"{alike}% alike, other figures"
    return f"{alike}% identical"


def raw_scores(member: Member) -> str:
    """The raw scores, as the JSON report has them."""
    s = member.scores
    return (
        f"cosine {s.cosine:.3f} \u00b7 Jaccard {s.jaccard:.3f} "
        f"\u00b7 containment {s.containment:.3f}"
    )


def build_page(report: Report) -> Page:
    """The page's records for ``report``."""
    plan = plan_consolidation(report)
    listed = {
        m.paragraph.doc
        for c in report.clusters
        if c.kind is not Kind.BOILERPLATE
        for m in c.members
    }
    # A check against an index cites indexed documents too (the part of them that ran).
    cited = (*report.documents, *report.indexed)
    heads = {d.id: _head(d, n, d.id in listed) for n, d in enumerate(cited, start=1)}
    words = {paragraph_key(p): word_count(p.text) for d in cited for p in d.paragraphs}
    notes = _notes(report, heads)
    dispatches = sorted(
        (_dispatch(d, heads, plan, notes, words) for d in report.documents if d.id in listed),
        key=lambda v: (-v.word_share, -v.ran, v.head.order),
    )
    quiet = tuple(heads[d.id] for d in report.documents if d.id not in listed)
    clusters = [_cluster(c, heads, words, plan) for c in report.clusters]
    # What an editor can cut first; then partial reuse, which stays in the
    # consolidated copy, by the words it takes from its source.
    by_impact = sorted(
        (c for c in clusters if c.cluster.kind not in TRAILING_KINDS),
        key=lambda c: (-c.impact, -c.reused),
    )
    content = [replace(c, open=position < OPEN_CLUSTERS) for position, c in enumerate(by_impact)]
    # Sign-offs and templates: the most repeated first.
    trailing = tuple(
        (kind, tuple(sorted((c for c in clusters if c.cluster.kind is kind), key=_copies)))
        for kind in TRAILING_KINDS
    )
    return Page(
        report=report,
        lang=page_language(report),
        sources=tuple(sorted({d.source for d in report.documents})),
        words=sum(words.values()),
        repeated_words=sum(words[key] for key in plan.removed),
        ran=len(plan.removed),
        kinds=_kind_rows(clusters),
        dispatches=tuple(dispatches),
        quiet=quiet,
        content=tuple(content),
        trailing=tuple((kind, views_) for kind, views_ in trailing if views_),
        similarity_plot=_similarity_plot(report),
        share_plot=_share_plot(dispatches),
        params=dict(report.params),
    )


def _copies(view: ClusterView) -> int:
    return -len(view.copies)


def _head(document: Document, order: int, listed: bool) -> DispatchHead:
    moment = parse_date(document.date) if document.date is not None else None
    return DispatchHead(
        document=document,
        order=order,
        label=document_label(document),
        date=moment.strftime("%Y-%m-%d %H:%M") if moment else document.date,
        iso_date=moment.isoformat() if moment else None,
        listed=listed,
    )


def _place(paragraph: Paragraph, heads: dict[str, DispatchHead]) -> Place:
    return Place(paragraph, heads[paragraph.doc])


def _notes(report: Report, heads: dict[str, DispatchHead]) -> dict[ParagraphKey, list[Note]]:
    """Each paragraph's relations: to its source where it is a copy, to its copies where it is
    a source."""
    notes: dict[ParagraphKey, list[Note]] = {}
    for cluster in report.clusters:
        source = cluster.members[cluster.canonical]
        copies = [m for i, m in enumerate(cluster.members) if i != cluster.canonical]
        boilerplate = cluster.kind is Kind.BOILERPLATE
        for copy in copies:
            relation = Kind.BOILERPLATE if boilerplate else copy.relation
            notes.setdefault(paragraph_key(copy.paragraph), []).append(
                Note(
                    kind=cluster.kind,
                    relation=relation,
                    phrase=COPY_PHRASES[relation],
                    places=(_place(source.paragraph, heads),),
                    more=0,
                    cluster=cluster.id,
                    score=score_phrase(copy),
                )
            )
        notes.setdefault(paragraph_key(source.paragraph), []).append(
            Note(
                kind=cluster.kind,
                relation=cluster.kind,
                phrase=SOURCE_PHRASES[cluster.kind],
                places=tuple(_place(m.paragraph, heads) for m in copies[:MAX_BACK_LINKS]),
                more=max(0, len(copies) - MAX_BACK_LINKS),
                cluster=cluster.id,
                score="",
                as_source=True,
            )
        )
    return notes


def _dispatch(
    document: Document,
    heads: dict[str, DispatchHead],
    plan: Consolidation,
    notes: dict[ParagraphKey, list[Note]],
    words: dict[ParagraphKey, int],
) -> DispatchView:
    """The dispatch view of ``document``: its paragraphs as a consolidated copy keeps them."""
    keys = [paragraph_key(p) for p in document.paragraphs]
    head = heads[document.id]
    paragraphs = []
    for position, (paragraph, key) in enumerate(zip(document.paragraphs, keys, strict=True)):
        reference = plan.removed.get(key)
        own = notes.get(key, [])
        removal = None
        if reference is not None:
            note = next(n for n in own if n.cluster == reference.cluster.id and not n.as_source)
            removal = Removal(_place(reference.source.paragraph, heads), note)
        paragraphs.append(
            ParagraphView(
                place=Place(paragraph, head),
                removed=removal,
                notes=tuple(n for n in own if removal is None or n is not removal.note),
                position=position,
            )
        )
    counted = [key for key in keys if key not in plan.boilerplate]
    removed = [key for key in counted if key in plan.removed]
    total_words = sum(words[key] for key in counted)
    sources = {plan.removed[key].source.paragraph.doc for key in removed}
    resend = len(removed) == len(counted) and len(sources) == 1 and document.id not in sources
    return DispatchView(
        head=head,
        paragraphs=tuple(paragraphs),
        ran=len(removed),
        counted=len(counted),
        word_share=sum(words[key] for key in removed) / total_words if total_words else 0.0,
        again=sum(
            any(n.as_source and n.kind is not Kind.BOILERPLATE for n in p.notes) for p in paragraphs
        ),
        related=sum(any(n.kind is not Kind.BOILERPLATE for n in p.notes) for p in paragraphs),
        relations=tuple(
            sorted({RELATION_NAMES[n.relation] for p in paragraphs for n in p.notes} - {""})
        ),
        kinds=tuple(sorted({n.kind.value for key in keys for n in notes.get(key, ())})),
        resend_of=heads[next(iter(sources))] if resend else None,
    )


def _member(member: Member, source: Member, heads: dict[str, DispatchHead]) -> MemberView:
    is_source = member is source
    differs = not is_source and member.relation not in (Kind.EXACT, Kind.BOILERPLATE)
    return MemberView(
        place=_place(member.paragraph, heads),
        relation=member.relation,
        score="source" if is_source else score_phrase(member),
        raw="" if is_source else raw_scores(member),
        diff=tuple(diff_nodes(member.paragraph.text, source.paragraph.text)) if differs else None,
    )


def _cluster(
    cluster: Cluster,
    heads: dict[str, DispatchHead],
    words: dict[ParagraphKey, int],
    plan: Consolidation,
) -> ClusterView:
    source = cluster.members[cluster.canonical]
    copies = [m for i, m in enumerate(cluster.members) if i != cluster.canonical]
    impact = reused = 0
    for copy in copies:
        key = paragraph_key(copy.paragraph)
        reference = plan.removed.get(key)
        if reference is not None and reference.cluster is cluster:
            impact += words[key]
        elif copy.relation is Kind.PARTIAL and cluster.kind.is_content:
            reused += round(words[key] * copy.scores.containment)
    return ClusterView(
        cluster=cluster,
        source=_member(source, source, heads),
        copies=tuple(_member(m, source, heads) for m in copies),
        impact=impact,
        reused=reused,
        open=False,
    )


def _kind_rows(clusters: list[ClusterView]) -> tuple[KindRow, ...]:
    rows = []
    for kind in Kind:
        of_kind = [c for c in clusters if c.cluster.kind is kind]
        if of_kind:
            rows.append(
                KindRow(
                    kind,
                    len(of_kind),
                    sum(len(c.copies) for c in of_kind),
                    sum(c.impact for c in of_kind),
                )
            )
    return tuple(rows)


#: Similarity bins of the pairs plot: lower bound (percent) and label.
_SIMILARITY_BINS = ((0, "< 50%"), (50, "50\u201370%"), (70, "70\u201390%"), (90, "90\u201399%"))


def _similarity_plot(report: Report) -> Markup:
    counts: Counter[str] = Counter()
    for cluster in report.clusters:
        if cluster.kind is Kind.BOILERPLATE:
            continue
        for position, member in enumerate(cluster.members):
            if position == cluster.canonical:
                continue
            if member.relation is Kind.EXACT:
                counts["identical"] += 1
                continue
            percent = min(99, math.floor(100 * member.scores.cosine))
            label = next(lb for low, lb in reversed(_SIMILARITY_BINS) if percent >= low)
            counts[label] += 1
    bars = [Bar(label, counts[label]) for _, label in _SIMILARITY_BINS] + [
        Bar("identical", counts["identical"])
    ]
    return bar_chart(
        bars, caption="How alike each copy is to its source (TF-IDF cosine)", unit="copies"
    )


#: Share bins of the dispatch plot: upper bound (exclusive, percent) and label.
_SHARE_BINS = ((25, "1\u201324%"), (50, "25\u201349%"), (75, "50\u201374%"), (100, "75\u201399%"))


def _share_plot(dispatches: list[DispatchView]) -> Markup:
    counts: Counter[str] = Counter()
    for view in dispatches:
        percent = 100 * view.word_share
        if view.ran == 0:
            label = "none"
        elif percent >= 100:
            label = "all"
        else:
            label = next(lb for high, lb in _SHARE_BINS if percent < high)
        counts[label] += 1
    labels = ["none", *(lb for _, lb in _SHARE_BINS), "all"]
    return bar_chart(
        [Bar(label, counts[label]) for label in labels],
        caption="Share of each dispatch's words that already ran",
        unit="dispatches",
    )


#: Frequent short words of the languages wire copy most often comes in.
_STOPWORDS = {
    "en": "the of and to in a is that for on said with was by it as at from",
    "fr": "le la les des et est une du dans que pour qui au sur a été avec",
    "de": "der die und das den ist nicht mit sich des auf für ein eine dem im",
    "es": "el los las del que y en por con una para se al lo su fue",
    "it": "il della che di e per una non sono gli nel delle alla dei ha",
    "pt": "o os do da que e em para com uma não dos das ao foi pelo",
    "nl": "de het een en van dat op voor niet met zijn wordt te ook",
}
_WORDS = re.compile(r"[^\W\d_]+")
#: Words read to guess the language of a report.
_SAMPLE_WORDS = 20_000


def guess_language(texts: Iterable[str]) -> str:
    """The language of ``texts`` as a BCP 47 tag, by their most frequent short words;
    ``und`` (undetermined) when no language stands out.

    >>> guess_language(["Le Conseil de sécurité a appelé les forces à respecter la trêve."])
    'fr'
    >>> guess_language(["12 345"])
    'und'
    """
    counts: Counter[str] = Counter()
    seen = 0
    for text in texts:
        found = _WORDS.findall(text.casefold())
        counts.update(found)
        seen += len(found)
        if seen >= _SAMPLE_WORDS:
            break
    scores = sorted(
        ((sum(counts[w] for w in words.split()), lang) for lang, words in _STOPWORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = scores[0], scores[1]
    # Stop words are a fifth or more of running text; a language must also beat
    # its neighbours clearly (French and Spanish share "de", "la", "que").
    if seen and best >= 0.1 * seen and best >= 1.5 * second:
        return lang
    return "und"


def page_language(report: Report) -> str:
    """The ``lang`` of the page: the ``lang`` setting, or guessed from the paragraphs."""
    setting = str(report.params.get("lang", "auto"))
    if setting != "auto":
        return setting
    return guess_language(p.text for d in report.documents for p in d.paragraphs)
