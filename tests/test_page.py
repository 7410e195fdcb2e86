"""The HTML page's model: dispatches by share, re-sends, clusters by impact, scores in words."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import replace

import pytest

from dedup.records import Cluster, Document, Kind, Member, Paragraph, Report, Scores
from dedup.report.page import build_page, guess_language, score_phrase

SAME = Scores(1.0, 1.0, 1.0)


def test_the_seed_by_dispatch(seed_report: Report, seed_path: str) -> None:
    page = build_page(seed_report)
    first, second, third = page.dispatches
    # Dispatch 5 (lines 23-28): three of its six paragraphs already ran, in dispatch 2.
    assert first.head.document.id == f"{seed_path}#5"
    assert (first.ran, first.counted, first.share) == (3, 6, 50)
    assert first.resend_of is None
    removed = [p for p in first.paragraphs if p.removed]
    assert [p.place.paragraph.line for p in removed] == [26, 27, 28]
    assert {p.removed.source.paragraph.line for p in removed if p.removed} == {11, 12, 13}
    # Dispatch 2 is where they ran first: its paragraphs link back to their copies.
    assert second.head.document.id == f"{seed_path}#2"
    assert (second.ran, second.again) == (0, 3)
    back = [n for p in second.paragraphs for n in p.notes if n.as_source]
    assert {place.paragraph.line for n in back for place in n.places} == {15, 26, 27, 28}
    assert third.relations == ("partial reuse",)
    assert len(page.quiet) == 3
    assert page.ran == 3
    assert page.lang == "fr"


def test_clusters_by_impact_and_trailing_kinds(excerpt_report: Report) -> None:
    page = build_page(excerpt_report)
    impacts = [(c.impact, c.reused) for c in page.content]
    assert impacts == sorted(impacts, reverse=True)
    assert all(c.reused == 0 for c in page.content if c.cluster.kind is Kind.EXACT)
    assert all(c.cluster.kind.is_content for c in page.content)
    assert [k for k, _ in page.trailing] == [Kind.FIGURES, Kind.BOILERPLATE][-len(page.trailing) :]
    assert [c.open for c in page.content[:6]] == [True] * 5 + [False]
    for view in page.content:
        source = view.cluster.members[view.cluster.canonical]
        assert view.source.place.paragraph is source.paragraph
        assert all(m.diff is None for m in view.copies if m.relation is Kind.EXACT)


def resend_report() -> Report:
    texts = ["First paragraph of the story.", "Second paragraph of the story.", "Reuter"]
    docs = []
    for name in ("a", "b"):
        paragraphs = tuple(Paragraph(name, i, f"{name}.txt", i + 1, t) for i, t in enumerate(texts))
        docs.append(Document(name, f"{name}.txt", f"Story {name}", paragraphs))
    clusters = tuple(
        Cluster(
            f"c{i + 1}",
            Kind.BOILERPLATE if i == 2 else Kind.EXACT,
            (
                Member(docs[0].paragraphs[i], SAME, Kind.EXACT),
                Member(docs[1].paragraphs[i], SAME, Kind.EXACT),
            ),
        )
        for i in range(3)
    )
    return Report(tuple(docs), clusters)


def test_a_whole_resend_is_one_line() -> None:
    page = build_page(resend_report())
    (copy, source) = page.dispatches
    assert copy.resend_of is not None and copy.resend_of.label == "Story a"
    # The sign-off counts neither way: 2 of 2 paragraphs, not 3 of 3.
    assert (copy.ran, copy.counted) == (2, 2)
    assert source.ran == 0 and source.again == 2


@pytest.mark.parametrize(
    ("relation", "scores", "phrase"),
    [
        (Kind.EXACT, SAME, "same text"),
        (Kind.NEAR, Scores(0.9766, 0.97, 0.98), "97% identical"),
        (Kind.NEAR, Scores(0.99999, 0.99, 0.99), "99% identical"),
        (Kind.PARTIAL, Scores(0.5, 0.4, 0.667), "67% reused"),
        (Kind.FIGURES, Scores(0.93, 0.9, 0.9), "93% alike, other figures"),
    ],
    ids=["exact", "near", "never-100", "partial", "figures"],
)
def test_scores_in_words(relation: Kind, scores: Scores, phrase: str) -> None:
    member = Member(Paragraph("d", 0, "s", 1, "x"), scores, relation)
    assert score_phrase(member) == phrase


@pytest.mark.parametrize(
    ("texts", "lang"),
    [
        (["The ministry said on Tuesday that the talks with the unions were over."], "en"),
        (["Le ministre a dit que les négociations avec les syndicats sont terminées."], "fr"),
        (["Der Minister sagte, die Gespräche mit den Gewerkschaften sind nicht beendet."], "de"),
        (["El ministro dijo que las negociaciones con los sindicatos han terminado."], "es"),
        (["Qtly div 15 cts vs 12 cts", "12 345"], "und"),
    ],
    ids=["en", "fr", "de", "es", "undetermined"],
)
def test_guess_language(texts: list[str], lang: str) -> None:
    assert guess_language(texts) == lang


def test_the_lang_setting_wins(seed_report: Report) -> None:
    assert build_page(replace(seed_report, params={"lang": "ar"})).lang == "ar"


def test_docstring_examples_hold() -> None:
    for module in ("dedup.report.page", "dedup.report.markup", "dedup.report.plots"):
        results = doctest.testmod(importlib.import_module(module))
        assert results.attempted > 0
        assert results.failed == 0
