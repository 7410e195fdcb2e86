"""Checking documents against an index gives the answer of a scan of the index and the
documents together: the same pairs involving the documents, with the same kinds and scores."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.config import ScanConfig
from dedup.incoming import check_and_add, check_documents, index_documents
from dedup.pipeline import scan_documents
from dedup.readers import read_paths
from dedup.records import Document, Paragraph, Report
from dedup.report import render
from dedup.store import Store, open_store

CONFIG = ScanConfig()


def indexed(path: Path, documents: list[Document]) -> Store:
    store = open_store(str(path), create=True)
    index_documents(documents, store, CONFIG)
    return store


def check(store: Store, documents: list[Document], copies: int | None = None) -> Report:
    return store.snapshot(lambda: check_documents(documents, store, CONFIG, copies))


def test_the_seed_checked_against_its_first_dispatches_is_its_scan(
    seed_path: str, tmp_path: Path
) -> None:
    documents = list(read_paths([seed_path]))
    archive, incoming = documents[:3], documents[3:]
    store = indexed(tmp_path / "desk.db", archive)
    checked = check(store, incoming)
    store.close()
    names = {d.id for d in incoming}
    expected = scan_documents(documents, CONFIG).pairs(names)
    # Lines 26, 27 and 28 repeat lines 11 (and its rewrite, line 15), 12 and 13.
    assert len(expected) == 4
    assert checked.pairs(names) == expected
    assert [d.id for d in checked.documents] == [d.id for d in incoming]
    # The indexed dispatches cited: line 11's, and line 15's (a rewrite of line 11).
    assert [d.id for d in checked.indexed] == [documents[1].id, documents[2].id]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reuters_excerpt_checked_against_the_rest_is_its_scan(
    excerpt_path: str, tmp_path: Path, seed: int
) -> None:
    documents = list(read_paths([excerpt_path]))
    random.Random(seed).shuffle(documents)
    archive, incoming = documents[50:], documents[:50]
    store = indexed(tmp_path / "desk.db", archive)
    checked = check(store, incoming).pairs({d.id for d in incoming})
    store.close()
    expected = scan_documents(documents, CONFIG).pairs({d.id for d in incoming})
    same = sum(1 for key, value in expected.items() if checked.get(key) == value)
    assert len(expected) > 50
    assert same >= 0.99 * len(expected)
    assert len(checked) - same <= 0.01 * len(expected)


SEED_TEXT = (Path(__file__).resolve().parents[1] / "fixtures" / "anadolu-libye-fr.txt").read_text(
    encoding="utf-8"
)
PARAGRAPHS = [line.strip() for line in SEED_TEXT.splitlines() if len(line.split()) > 8]


@st.composite
def dispatches(draw: st.DrawFn) -> list[Document]:
    """Dispatches made of the seed's paragraphs, verbatim, with a typo, other figures or cut."""
    documents = []
    for number in range(draw(st.integers(2, 8))):
        texts = []
        for _ in range(draw(st.integers(1, 4))):
            text = draw(st.sampled_from(PARAGRAPHS))
            edit = draw(st.sampled_from(["verbatim", "typo", "figures", "cut"]))
            if edit == "typo":
                at = draw(st.integers(0, len(text) - 1))
                text = text[:at] + text[at + 1 :]
            elif edit == "figures":
                text = text.replace("1", "7")
            elif edit == "cut":
                text = text[: len(text) * 2 // 3]
            texts.append(text)
        doc = f"d{number}"
        paragraphs = tuple(Paragraph(doc, i, f"{doc}.txt", i + 1, t) for i, t in enumerate(texts))
        day = draw(st.integers(1, 28))
        documents.append(Document(doc, f"{doc}.txt", None, paragraphs, date=f"2020-02-{day:02d}"))
    return documents


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dispatches(), st.integers(1, 7))
def test_a_member_checked_against_the_same_canonical_scores_as_in_the_scan(
    tmp_path_factory: pytest.TempPathFactory, documents: list[Document], split: int
) -> None:
    split = min(split, len(documents) - 1)
    archive, incoming = documents[:split], documents[split:]
    store = indexed(tmp_path_factory.mktemp("index") / "desk.db", archive)
    checked = check(store, incoming)
    store.close()
    names = {d.id for d in incoming}
    scanned = scan_documents(documents, CONFIG).pairs(names)
    for key, mine in checked.pairs(names).items():
        if key in scanned and scanned[key].canonical == mine.canonical:
            # Scores depend on the two texts and the weights of everything: never on
            # which side of the index a paragraph is.
            assert (scanned[key].relation, scanned[key].scores) == (mine.relation, mine.scores)
    for cluster in checked.clusters:
        assert names & {m.paragraph.doc for m in cluster.members}


def dated(doc: str, day: int, text: str) -> Document:
    paragraph = Paragraph(doc, 0, f"{doc}.txt", 1, text)
    return Document(doc, f"{doc}.txt", None, (paragraph,), date=f"2020-03-{day:02d}T12:00:00Z")


BACKGROUND = PARAGRAPHS[0]


def test_a_text_held_many_times_lists_its_earliest_copies(tmp_path: Path) -> None:
    # Sixty dispatches repeat one background paragraph, the latest added first.
    archive = [dated(f"a{day:02d}", day, BACKGROUND) for day in range(28, 0, -1)]
    archive += [replace(d, id=f"b-{d.id}") for d in archive[:12]]
    archive = [
        replace(d, paragraphs=tuple(replace(p, doc=d.id) for p in d.paragraphs)) for d in archive
    ]
    store = indexed(tmp_path / "desk.db", archive)
    incoming = [dated("new", 29, BACKGROUND)]
    (listed,) = check(store, incoming, copies=5).clusters
    (whole,) = check(store, incoming, copies=None).clusters
    store.close()
    assert [m.paragraph.doc for m in listed.members] == ["a01", "a02", "a03", "a04", "a05", "new"]
    assert listed.unlisted == len(archive) - 5
    assert len(whole.members) == len(archive) + 1 and whole.unlisted == 0
    assert whole.members[whole.canonical].paragraph.doc == "a01"


def test_an_indexed_document_checked_again_is_not_its_own_repeat(
    seed_path: str, tmp_path: Path
) -> None:
    documents = list(read_paths([seed_path]))
    store = indexed(tmp_path / "desk.db", documents)
    again = check(store, documents)
    store.close()
    # As a scan of the dispatches, not of the dispatches twice.
    names = {d.id for d in documents}
    assert again.pairs(names) == scan_documents(documents, CONFIG).pairs(names)
    assert again.indexed == ()


def test_check_and_add_reports_then_adds(seed_path: str, tmp_path: Path) -> None:
    documents = list(read_paths([seed_path]))
    store = indexed(tmp_path / "desk.db", documents[:3])
    first = check_and_add(documents[3:], store, CONFIG)
    assert store.stats().documents == len(documents)
    # Adding the same again reports the same and changes nothing.
    before = store.stats()
    second = check_and_add(documents[3:], store, CONFIG)
    after = store.stats()
    store.close()
    assert render(replace(first, seconds=None), "json") == render(
        replace(second, seconds=None), "json"
    )
    assert after == before


def test_indexed_members_carry_their_title_and_when_they_were_added(
    seed_path: str, tmp_path: Path
) -> None:
    documents = list(read_paths([seed_path]))
    store = indexed(tmp_path / "desk.db", documents[:3])
    report = check(store, documents[3:])
    store.close()
    data = json.loads(render(report, "json"))
    members = [m for c in data["clusters"] for m in c["members"]]
    titles = {d.id: d.title for d in documents[:3]}
    archived = [m for m in members if m["doc"] in titles]
    assert len(archived) == 4  # lines 11, 12, 13, and 15
    assert all(m["title"] == titles[m["doc"]] for m in archived)
    assert all(m["added"].endswith("+00:00") for m in archived)
    assert all("added" not in m and "title" not in m for m in members if m not in archived)
    assert data["stats"]["documents"] == 3


def test_the_report_does_not_depend_on_the_order_of_the_documents(
    excerpt_path: str, tmp_path: Path
) -> None:
    documents = list(read_paths([excerpt_path]))
    store = indexed(tmp_path / "desk.db", documents[:120])
    incoming = documents[120:]
    forward = render(replace(check(store, incoming), seconds=None), "json")
    backward = render(replace(check(store, incoming[::-1]), seconds=None), "json")
    store.close()
    assert forward == backward


ONE = "Le Conseil de sécurité a adopté jeudi une résolution qui soutient le cessez-le-feu en Libye."
# Enough other sentences around it that the paragraphs themselves are far apart.
AROUND = (
    "Les combats ont repris au sud de Tripoli malgré les appels de la communauté internationale.",
    "La Russie s'est abstenue lors du vote, tandis que les quatorze autres membres l'ont soutenue.",
    "Le gouvernement d'entente nationale a salué un pas important vers une solution politique.",
    "Les forces du maréchal Haftar assiègent la capitale depuis le mois d'avril de l'an dernier.",
    "Plusieurs pays européens ont appelé à un embargo effectif sur les livraisons d'armes.",
)
BUILT_ON_ONE = " ".join((*AROUND[:2], ONE, *AROUND[2:]))


@pytest.mark.parametrize(
    ("archived", "incoming"),
    [(ONE, BUILT_ON_ONE), (BUILT_ON_ONE, ONE)],
    ids=["one-sentence-archived", "one-sentence-incoming"],
)
def test_a_sentence_reused_across_the_index_is_found(
    tmp_path: Path, archived: str, incoming: str
) -> None:
    # One-sentence paragraphs keep no sentence rows of their own in an index (they are
    # their first paragraph rows): a paragraph built on that sentence must still meet them.
    documents = [dated("old", 1, archived), dated("new", 2, incoming)]
    store = indexed(tmp_path / "desk.db", documents[:1])
    checked = check(store, documents[1:])
    store.close()
    assert [c.kind.value for c in checked.clusters] == ["partial"]
    assert checked.pairs({"new"}) == scan_documents(documents, CONFIG).pairs({"new"})
