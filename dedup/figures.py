"""The figures check: two look-alike paragraphs that report other numbers are other news.

Wire copy is full of templates: earnings ("Shr 28 cts vs 12 cts"), dividends,
the same background paragraph with an updated death toll. Their text is
alike, their figures are the story. ``figures`` reads a normalised
paragraph's figures in order; ``figures_agree`` says whether two lists of
figures tell the same story, forgiving the slips of OCR and re-keying.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# OCR reads 0 as o and 1 as l: next to a digit, they are taken back.
_OCR_DIGIT = re.compile(r"(?<=\d)[ol]+|(?<=\d[.,])[ol]+|[ol]+(?=[.,]?\d)")
_OCR_NEAR_DIGIT = re.compile(r"\d[.,]?[ol]|[ol][.,]?\d")
# Wire style writes small numbers in words ("loss six cts vs profit two cts")
# and magnitudes as words ("1.2 mln", "1.2 billion"): both are figures.
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen",
        ]
    )
} | {
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9", "dix": "10", "vingt": "20", "trente": "30", "cent": "100",
    "thousand": "k", "mille": "k", "million": "m", "millions": "m", "mln": "m",
    "billion": "b", "billions": "b", "bln": "b", "milliard": "b", "milliards": "b",
    "trillion": "t",
}  # fmt: skip
# A figure stands apart from letters: a digit inside a word is OCR noise
# ("bi1lion", "d1rs"), not a number.
# Possessive: "1.75dlr" must not yield "1.7"; nor may a figure start inside
# another ("plus200,000" must not yield "000").
_FIGURE = re.compile(
    r"(?<![\w.,])\d++(?:[.,]\d++)*+(?![^\W\d_])|\b(?:"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\b"
)
# A dateline ("new york, march 11 -", "(reuters) -") is the desk's, not the story's.
_DATELINE = re.compile(r"^(?:[^\W\d_][\w .,'&/-]{0,40}?, [^\W\d_]+\.? \d{1,2} ?-|\(reuters\) ?-) ?")


def figures(text: str) -> tuple[str, ...]:
    """The figures of a normalised paragraph, in order: digits without separators or
    leading zeros, number words as digits, magnitudes as ``k``, ``m``, ``b``, ``t``.

    >>> figures("new york, march 3 - net profit 1.2 mln vs 900,000, up l0 pct from six d1rs")
    ('12', 'm', '900000', '10', '6')
    """
    text = _DATELINE.sub("", text, count=1)
    if _OCR_NEAR_DIGIT.search(text):
        text = _OCR_DIGIT.sub(lambda m: m.group().replace("o", "0").replace("l", "1"), text)
    return tuple(
        _NUMBER_WORDS.get(token) or token.replace(",", "").replace(".", "").lstrip("0") or "0"
        for token in _FIGURE.findall(text)
    )


def figures_agree(left: Sequence[str], right: Sequence[str]) -> bool:
    """Whether two paragraphs report the same figures.

    They disagree when a figure of one is gone and another figure stands in
    the other: a figure changed ("28 cts" against "12 cts"), or two swapped
    ("profit two vs loss 12" against "profit 12 vs loss two"). A figure on
    one side only is a clause added or dropped, which the text similarity
    already weighs.

    >>> figures_agree(("12", "28"), ("12", "28", "1987"))
    True
    >>> figures_agree(("28", "6"), ("12", "28"))
    False
    >>> figures_agree(("2", "12"), ("12", "2"))
    False
    """
    if left == right:
        return True
    ordered_left, ordered_right = sorted(left), sorted(right)
    if ordered_left == ordered_right:
        return False  # the same figures in another order: swapped
    # Walk both sorted lists for the figures found on one side only.
    i = j = 0
    only_left: list[str] = []
    only_right: list[str] = []
    while i < len(ordered_left) and j < len(ordered_right):
        if ordered_left[i] == ordered_right[j]:
            i, j = i + 1, j + 1
        elif ordered_left[i] < ordered_right[j]:
            only_left.append(ordered_left[i])
            i += 1
        else:
            only_right.append(ordered_right[j])
            j += 1
    only_left += ordered_left[i:]
    only_right += ordered_right[j:]
    return _one_sided_after_slips(only_left, only_right)


def _one_sided_after_slips(only_left: list[str], only_right: list[str]) -> bool:
    """Whether, once figures that are the same but for one digit dropped or doubled are
    paired up (noise: "1985" / "19855", "720000" / "72000"), what is left is on one side.

    >>> _one_sided_after_slips(["1985"], ["19855"])
    True
    >>> _one_sided_after_slips(["1985"], ["19855", "53"])
    True
    >>> _one_sided_after_slips(["28"], ["29"])
    False
    """
    if not (only_left and only_right):
        return True
    only_right = list(only_right)
    unpaired = []
    for figure in only_left:
        match = next((other for other in only_right if _one_dropped(figure, other)), None)
        if match is None:
            unpaired.append(figure)
        else:
            only_right.remove(match)
    # What is left must be on one side only, as in ``figures_agree``.
    return not (unpaired and only_right)


def _one_dropped(a: str, b: str) -> bool:
    """Whether one of ``a``, ``b`` is the other with one digit dropped (at least 2 digits)."""
    shorter, longer = sorted((a, b), key=len)
    if len(longer) != len(shorter) + 1 or len(shorter) < 2:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
