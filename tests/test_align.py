"""Character alignment: the share of letters that line up, and slips told from rewording."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.align import alignment_scores, letters, slips


def common_subsequence(a: str, b: str) -> int:
    """Length of the longest common subsequence, by the textbook table."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


forms = st.text(st.sampled_from("abcdeo1"), max_size=30)


@given(st.lists(st.tuples(forms, forms), min_size=1, max_size=5))
def test_scores_are_the_longest_common_subsequence_over_the_lengths(
    pairs: list[tuple[str, str]],
) -> None:
    alignment, coverage = alignment_scores([a for a, _ in pairs], [b for _, b in pairs])
    for (a, b), aligned, covered in zip(pairs, alignment, coverage, strict=True):
        common = common_subsequence(a, b)
        total, shorter = len(a) + len(b), min(len(a), len(b))
        assert aligned == pytest.approx(2 * common / total if total else 1.0)
        assert covered == pytest.approx(common / shorter if shorter else 0.0)
        assert 0.0 <= aligned <= covered <= 1.0 or not shorter


@given(forms, forms)
def test_scores_are_symmetric(a: str, b: str) -> None:
    assert [x.tolist() for x in alignment_scores([a], [b])] == [
        x.tolist() for x in alignment_scores([b], [a])
    ]


def test_no_pairs() -> None:
    alignment, coverage = alignment_scores([], [])
    assert len(alignment) == len(coverage) == 0


def test_a_noisy_copy_lines_up_where_its_shingles_do_not() -> None:
    clean = "federalreservebordvicechaimanmanueljohnsonsaidtheinflationaryexpectations"
    noisy = "fcdcralreservebordvicecbaimanmanucljohnssonsaidtheinflsfionaryexpectations"
    other = "thebankofenglandsaiditforecastashortageofaroundmlnstginthemoneymarket"
    alignment, _ = alignment_scores([clean, clean], [noisy, other])
    assert alignment[0] > 0.9 > 0.6 > alignment[1]


@pytest.mark.parametrize(
    ("left", "right", "count"),
    [
        ("the company said it filed", "the company said it filed", 0),
        ("the company said it filed", "the comapny said it filed", 1),
        ("the company said it filed", "thecompany said it fi1ed", 2),
        ("the bank of tokyo said it", "the toyo trust bank said it", 0),
        ("shr 28 cts vs 12 cts", "shr 29 cts vs 13 cts", 0),
        ("terms of the contract were not disclosed", "terms of the sale were not disclosed", 0),
    ],
    ids=[
        "same",
        "letters-swapped",
        "space-lost-and-letter-misread",
        "another-name",
        "other-figures",
        "another-word",
    ],
)
def test_slips_are_short_edits_inside_text_that_lines_up(left: str, right: str, count: int) -> None:
    assert slips(left, right) == count
    assert slips(right, left) == count


def test_letters_leave_the_figures_to_the_figures_check() -> None:
    assert letters("shr 28 cts vs 12.5 cts") == letters("shr 30 cts vs 1 cts")
