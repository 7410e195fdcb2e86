"""Character alignment: how far two paragraphs line up letter by letter.

Shingle scores see a paragraph as a bag of 5-grams. OCR noise at a few
percent of characters spoils a fifth of them in each copy, so two noisy
reprints of one dispatch can share fewer than half their shingles and fall
below the cosine and Jaccard thresholds. Aligned character by character
(rapidfuzz's Indel distance: the longest common subsequence, in compiled
code), the same two copies still agree on nine letters in ten, while
paragraphs that only share a subject do not. The alignment runs on the
paragraphs' matching forms (``dedup.shingle.matching_form``: letters and
digits, OCR confusions folded), the stream the shingles are cut from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq, Levenshtein, Opcode

# A region of edits this short (a letter dropped, doubled or misread, two
# letters swapped or run together) is a slip of OCR or typing; a longer one
# is a change of wording ("Oper shr" against "Shr": another line of a table).
_SLIP_LENGTH = 2
# ... and it sits between runs of at least this many letters that line up.
_ANCHOR_LENGTH = 4
_DIGITS = re.compile(r"\d+(?:[.,']\d+)*")


def alignment_scores(
    left: Sequence[str], right: Sequence[str], workers: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """``(alignment, coverage)`` of each pair ``left[k]``, ``right[k]`` of matching forms.

    With ``common`` the length of their longest common subsequence,
    ``alignment`` is ``2 * common / (len(left) + len(right))`` (1.0 for equal
    texts: rapidfuzz's Indel similarity) and ``coverage`` is ``common`` over
    the shorter one's length (1.0 when the shorter lies whole inside the
    longer, as an abridged copy does). ``workers``: threads rapidfuzz may use.

    >>> alignment, coverage = alignment_scores(["thecompanysaid", "abc"], ["thecompanysad", "xyz"])
    >>> alignment.round(3).tolist(), coverage.round(3).tolist()
    ([0.963, 0.0], [1.0, 0.0])
    """
    if not left:
        return np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.float64)
    common = process.cpdist(left, right, scorer=LCSseq.similarity, workers=workers)
    common = common.astype(np.float64)
    size_left = np.fromiter(map(len, left), dtype=np.float64, count=len(left))
    size_right = np.fromiter(map(len, right), dtype=np.float64, count=len(right))
    total, shorter = size_left + size_right, np.minimum(size_left, size_right)
    alignment = np.divide(2 * common, total, out=np.ones(len(left)), where=total > 0)
    coverage = np.divide(common, shorter, out=np.zeros(len(left)), where=shorter > 0)
    return alignment, coverage


def slips(left: str, right: str) -> int:
    """How many slips (short edits inside text that otherwise lines up: OCR, typing) tell two
    normalised paragraphs apart, figures aside.

    Wording changed over several letters (another name, a clause added) is
    not a slip, and neither is a changed figure: the figures check reads
    them. Characters are compared as they are (a doubled letter, a lost
    space or a "0" for an "o" is a slip here, though shingles fold it away).

    >>> slips("the bank of england said 5", "te bank of england said 6")
    1
    >>> slips("the bank of tokyo said", "the toyo trust said")
    0
    """
    left, right = letters(left), letters(right)
    count = 0
    # Edits with fewer than _ANCHOR_LENGTH equal characters between them are
    # one region ("comapny" is an insert, a letter and a delete); a region is
    # a slip when it is short and the text around it lines up.
    region: list[Opcode] = []
    anchored_before = True
    for block in Levenshtein.opcodes(left, right):
        long_run = block.src_end - block.src_start >= _ANCHOR_LENGTH
        if block.tag != "equal" or (region and not long_run):
            region.append(block)
            continue
        if region:
            count += anchored_before and _is_slip(region)
            region = []
        anchored_before = long_run or block.src_start == 0
    if region:
        count += anchored_before and _is_slip(region)
    return count


def _is_slip(region: Sequence[Opcode]) -> bool:
    """Whether a region of edits (and the short equal runs inside it) is short enough to be a
    slip rather than a change of wording."""
    edits = [block for block in region if block.tag != "equal"]
    source = edits[-1].src_end - edits[0].src_start
    dest = edits[-1].dest_end - edits[0].dest_start
    return max(source, dest) <= _SLIP_LENGTH


def letters(text: str) -> str:
    """``text`` without its digits: what slips are counted on (a space lost is a slip too;
    figures are the figures check's).

    >>> letters("shr 28 cts vs 12 cts.")
    'shr  cts vs  cts.'
    """
    return _DIGITS.sub("", text)
