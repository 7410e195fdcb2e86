"""The figures check: two look-alike paragraphs that report other numbers are other news.

Wire copy is full of templates: earnings ("Shr 28 cts vs 12 cts"), dividends,
the same background paragraph with an updated death toll, "la 16e journée"
and "la 17e journée". Their text is alike, their figures are the story.
``figures`` reads a normalised paragraph's figures in order, in English and
French; ``figures_agree`` says whether two lists of figures tell the same
story, forgiving the slips of OCR and re-keying.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from dedup.align import slips

# OCR reads 0 as o and 1 as l: next to a digit, they are taken back.
_OCR_DIGIT = re.compile(r"(?<=\d)[ol]+|(?<=\d[.,])[ol]+|[ol]+(?=[.,]?\d)")
_OCR_NEAR_DIGIT = re.compile(r"\d[.,]?[ol]|[ol][.,]?\d")

# Number words, English and French ("loss six cts vs profit two cts", "huit
# blessés", "deux mille"): their value. Runs of them are composed
# ("vingt-huit" is 28, "deux mille cinq cents" 2500, "five hundred" 500).
# "un"/"une" and "premier" are left out: articles and "Premier ministre".
_UNITS = {
    word: value
    for value, words in enumerate(
        [
            "zero", "one", "two deux", "three trois", "four quatre", "five cinq", "six",
            "seven sept", "eight huit", "nine neuf", "ten dix", "eleven onze", "twelve douze",
            "thirteen treize", "fourteen quatorze", "fifteen quinze", "sixteen seize",
            "seventeen", "eighteen", "nineteen",
        ]
    )
    for word in words.split()
} | {
    "twenty": 20, "vingt": 20, "vingts": 20, "thirty": 30, "trente": 30, "forty": 40,
    "quarante": 40, "fifty": 50, "cinquante": 50, "sixty": 60, "soixante": 60, "seventy": 70,
    "septante": 70, "eighty": 80, "huitante": 80, "ninety": 90, "nonante": 90,
}  # fmt: skip
_HUNDREDS = {"hundred", "cent", "cents"}
_THOUSANDS = {"thousand", "mille"}
# French ordinal words: "huitième anniversaire" is the "8e anniversaire".
_ORDINAL_WORDS = {
    "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6,
    "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10, "onzième": 11,
    "douzième": 12, "treizième": 13, "quatorzième": 14, "quinzième": 15, "seizième": 16,
    "vingtième": 20, "trentième": 30, "quarantième": 40, "cinquantième": 50,
    "soixantième": 60, "centième": 100, "millième": 1000,
}  # fmt: skip
_ORDINAL_WORDS |= {word.replace("è", "e"): value for word, value in _ORDINAL_WORDS.items()}
# Magnitudes are figures of their own ("1.2 mln", "3 milliards"): k, m, b, t.
_MAGNITUDES = {
    "million": "m", "millions": "m", "mln": "m", "billion": "b", "billions": "b",
    "bln": "b", "bn": "b", "milliard": "b", "milliards": "b", "trillion": "t",
}  # fmt: skip
_MAGNITUDE_LETTERS = frozenset(_MAGNITUDES.values())
_COMPONENTS = {*_UNITS, *_HUNDREDS, *_THOUSANDS, *_ORDINAL_WORDS}


def _alternatives(words: Iterable[str]) -> str:
    """A regular expression alternation of ``words``, longest first."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# Roman ordinals up to XXXIX with a suffix ("XXe siècle", "IIe République",
# "François Ier"). Case is folded by then: "vie" is the French for life, not
# VIe, and "ive" is "five" with its f lost more often than IVe.
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


_ROMANS = [
    tens + units
    for tens in ("", "x", "xx", "xxx")
    for units in ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
    if len(tens + units) >= 2
]
_ORDINAL_SUFFIX = r"(?:ères?|eres?|ers?|res?|ièmes?|iemes?|èmes?|emes?|es?|è|st|nd|rd|th)"

# One pass over the text finds every figure; the alternatives are tried in
# this order at each position. A figure stands apart from letters before it:
# a digit inside a word is OCR noise ("bi1lion", "d1rs"), and a figure never
# starts inside another ("plus200,000" must not yield "000"); the possessive
# quantifiers keep "1.75dlr" from yielding "1.7".
_STANDS_APART = r"(?<![\w.,])"
# Times: 14h30, 22 h 20, 9h.
_TIME = _STANDS_APART + r"(?P<hour>[01]?\d|2[0-3]) ?h ?(?P<minute>[0-5]\d)?(?![^\W_])"
# Ordinals: 1er, 1re, 2e, 16e, 3ème, 21st, 16th; IIe, XXe, Ier.
_ORDINAL = _STANDS_APART + r"(?P<ordinal>\d{1,6})(?P<suffix>" + _ORDINAL_SUFFIX + r")(?![^\W\d_])"
_ROMAN_ORDINAL = (
    r"\b(?!vies?\b|ives?\b)(?P<roman>" + _alternatives(_ROMANS) + r"|i(?=er\b))"
    + _ORDINAL_SUFFIX + r"\b"
)  # fmt: skip
# Digits with their separators (1,200.5; 1.200,5; "12 000" and "51'000" are
# joined beforehand). Digits glued to a word ("400mln", "24pct": a space
# lost) are a figure, unless a lone 0 or 1 (an "o" or "l" misread: "0f").
_NUMBER = (
    _STANDS_APART + r"(?P<number>\d++(?:[.,]\d++)*+)"
    r"(?:(?P<glued>" + _alternatives(_MAGNITUDES) + r")\b"
    r"|(?![^\W\d_])|(?<![^\d.,][01])(?<!^[01])(?=[^\W\d_]))"
)  # fmt: skip
# Number words, and runs of them joined by spaces, hyphens or "et"; "cent"
# in "pour cent" and "per cent" is a percent sign.
_WORDS = (
    r"(?<!\bpour )(?<!\bper )\b(?P<words>(?:" + _alternatives(_COMPONENTS) + r")"
    r"(?:(?:-et-| et |-| )(?:" + _alternatives({*_COMPONENTS, "un", "une"}) + r"))*+)\b"
)  # fmt: skip
_MAGNITUDE = r"\b(?P<magnitude>" + _alternatives(_MAGNITUDES) + r")\b"
_FIGURE = re.compile("|".join((_TIME, _ORDINAL, _ROMAN_ORDINAL, _NUMBER, _WORDS, _MAGNITUDE)))
# French typography groups thousands with a (narrow no-break, folded to a
# plain) space or an apostrophe: "19 337 992,84", "51'000".
_THOUSANDS_GROUPS = re.compile(r"(?<![\d.,'])\d{1,3}(?:[ ']\d{3})+(?!\d)")
# A dateline ("new york, march 11 -", "london, march 11 (reuters) -", "tripoli,
# 12 janvier (aa) -", "paris (afp) -") is the desk's, not the story's. Spaces
# may be lost and the day misread in noisy copy.
_DATELINE = re.compile(
    r"^(?:[^\W\d_][\w .,'&/-]{0,40}?, ?(?:[^\W\d_]+\.? ?\d{1,3}|\d{1,2} [^\W\d_]+\.?)"
    r"(?: ?\([^\W\d_]{2,10}\))?|(?:[^\W\d_][\w .,'&/-]{0,40}? ?)?\([^\W\d_]{2,10}\)) ?-+ ?"
)


def figures(text: str) -> tuple[str, ...]:
    """The figures of a normalised paragraph, in order: digits without separators or
    leading zeros, number words as digits, ordinals as ``16e``, times as ``14h30``,
    magnitudes as ``m``, ``b``, ``t``.

    >>> figures("new york, march 3 - net profit 1.2 mln vs 900,000, up l0 pct from six d1rs")
    ('12', 'm', '900000', '10', '6')
    >>> figures("la 16e journée, le xxe siècle, huitième édition à 14h30: 19 337 992,84 euros")
    ('16e', '20e', '8e', '14h30', '1933799284')
    """
    text = _DATELINE.sub("", text, count=1)
    if _OCR_NEAR_DIGIT.search(text):
        text = _OCR_DIGIT.sub(lambda m: m.group().replace("o", "0").replace("l", "1"), text)
    text = _THOUSANDS_GROUPS.sub(lambda m: m.group().replace(" ", "").replace("'", ""), text)
    found: list[str] = []
    for match in _FIGURE.finditer(text):
        if match.group("hour") is not None:
            minute = match.group("minute") or "00"
            found.append(f"{int(match.group('hour'))}h{'' if minute == '00' else minute}")
        elif match.group("ordinal") is not None:
            if _ordinal_reads(match.group("ordinal"), match.group("suffix")):
                found.append(f"{_plain(match.group('ordinal'))}e")
        elif match.group("roman") is not None:
            found.append(f"{_roman(match.group('roman'))}e")
        elif match.group("number") is not None:
            found.append(_plain(match.group("number")))
            if match.group("glued"):
                found.append(_MAGNITUDES[match.group("glued")])
        elif match.group("words") is not None:
            found += _compose(re.split(r"-et-| et |-| ", match.group("words")))
        elif match.group("magnitude") is not None:
            found.append(_MAGNITUDES[match.group("magnitude")])
    return tuple(found)


_ENGLISH_SUFFIXES = {"1": "st", "2": "nd", "3": "rd"}


def _ordinal_reads(digits: str, suffix: str) -> bool:
    """Whether an English suffix fits its number ("21st", "12th"): "10st" is "1ost" misread.

    >>> _ordinal_reads("21", "st"), _ordinal_reads("11", "th"), _ordinal_reads("10", "st")
    (True, True, False)
    """
    if suffix not in ("st", "nd", "rd", "th"):
        return True
    teen = digits[-2:-1] == "1"
    return suffix == ("th" if teen else _ENGLISH_SUFFIXES.get(digits[-1], "th"))


def _plain(digits: str) -> str:
    """Digits without separators or leading zeros."""
    return digits.replace(",", "").replace(".", "").lstrip("0") or "0"


def _compose(words: Sequence[str]) -> list[str]:
    """The numbers a run of number words spells, in order.

    >>> _compose(["deux", "mille", "cinq", "cents"]), _compose(["quatre", "vingt", "dix"])
    (['2500'], ['90'])
    >>> _compose(["two", "five"]), _compose(["vingt", "un"]), _compose(["dix", "huit"])
    (['2', '5'], ['21'], ['18'])
    >>> _compose(["vingt", "deuxième"]), _compose(["five", "hundred"])
    (['22e'], ['500'])
    """
    numbers: list[str] = []
    total = current = 0
    started = ordinal = False
    for word in words:
        value = 1 if word in ("un", "une") else _UNITS.get(word, _ORDINAL_WORDS.get(word))
        if ordinal:  # an ordinal ends its number ("vingt-deuxième")
            continues = False
        elif word in _HUNDREDS:
            continues = current < 100
        elif word in _THOUSANDS:
            continues = total == 0 and current < 1000
        else:
            continues = value is not None and _adds(current, value, word)
        if started and not continues:
            numbers.append(f"{total + current}{'e' if ordinal else ''}")
            total = current = 0
            ordinal = False
        if word in _HUNDREDS:
            current = (current or 1) * 100
        elif word in _THOUSANDS:
            total, current = (current or 1) * 1000, 0
        elif word.startswith("vingt") and current % 100 == 4:
            current += 76  # quatre-vingts
        else:
            current += value or 0
        started = True
        ordinal = word in _ORDINAL_WORDS
    if started:
        numbers.append(f"{total + current}{'e' if ordinal else ''}")
    return numbers


def _adds(current: int, value: int, word: str) -> bool:
    """Whether ``word`` (worth ``value``) continues a number worth ``current`` so far:
    tens then units ("vingt-deux", "dix-huit"), hundreds then less ("cent deux"),
    "soixante-dix", "quatre-vingts"."""
    below_hundred = current % 100
    if current == 0 or (below_hundred == 0 and value < 100):
        return True
    if word.startswith("vingt") and below_hundred == 4:
        return True
    if below_hundred in (60, 80) and value < 20:
        return True
    return below_hundred % 10 == 0 and value < 10


def figures_agree(left: Sequence[str], right: Sequence[str], noisy: bool = False) -> bool:
    """Whether two paragraphs report the same figures.

    They disagree when a figure of one is gone and another figure stands in
    the other: a figure changed ("28 cts" against "12 cts"), or two swapped
    ("profit two vs loss 12" against "profit 12 vs loss two"). A figure on
    one side only is a clause added or dropped, which the text similarity
    already weighs. With ``noisy`` (the text around shows OCR or typing
    slips), figures that differ by digits dropped or doubled are slips too.

    >>> figures_agree(("12", "28"), ("12", "28", "1987"))
    True
    >>> figures_agree(("28", "6"), ("12", "28"))
    False
    >>> figures_agree(("2", "12"), ("12", "2"))
    False
    >>> figures_agree(("60", "7"), ("0", "7")), figures_agree(("60", "7"), ("0", "7"), noisy=True)
    (False, True)
    """
    if left == right:
        return True
    ordered_left, ordered_right = sorted(left), sorted(right)
    if ordered_left == ordered_right:
        return False  # the same figures in another order: swapped
    only_left = list((Counter(left) - Counter(right)).elements())
    only_right = list((Counter(right) - Counter(left)).elements())
    if not noisy:
        return _one_sided_after_slips(only_left, only_right, _one_dropped)
    # OCR garbles a magnitude word ("bi1lion", "rnln") as easily as a digit: a
    # magnitude lost is no figure changed, unless another magnitude stands in.
    for is_magnitude in (True, False):
        a = [f for f in only_left if (f in _MAGNITUDE_LETTERS) is is_magnitude]
        b = [f for f in only_right if (f in _MAGNITUDE_LETTERS) is is_magnitude]
        if not (_one_sided_after_slips(a, b, _slipped) or _one_sided_after_slips(b, a, _slipped)):
            return False
    return True


def same_figures(
    left: Sequence[str], right: Sequence[str], texts: Callable[[], tuple[str, str]]
) -> bool:
    """Whether two paragraphs with figures ``left`` and ``right`` report the same figures,
    taking digits dropped or doubled for slips when their text shows slips too.

    ``texts`` gives the two normalised paragraphs; it is called only when the
    figures differ by such digits. When the text is otherwise the same (a
    template), "5 cts" and "15 cts" are other figures; in a copy with a
    letter misread here and there, they are one more misreading.

    >>> same_figures(("60", "7"), ("0", "7"), lambda: ("ec share 60 pct", "ec sharc 0 pct"))
    True
    >>> same_figures(("60", "7"), ("0", "7"), lambda: ("ec share 60 pct", "ec share 0 pct"))
    False
    """
    if figures_agree(left, right):
        return True
    return figures_agree(left, right, noisy=True) and slips(*texts()) >= 1


def _one_sided_after_slips(
    only_left: list[str], only_right: list[str], slip: Callable[[str, str], bool] | None = None
) -> bool:
    """Whether, once figures that are the same but for a slip are paired up (noise: "1985" /
    "19855", "720000" / "72000"), what is left is on one side.

    >>> _one_sided_after_slips(["1985"], ["19855"])
    True
    >>> _one_sided_after_slips(["1985"], ["19855", "53"])
    True
    >>> _one_sided_after_slips(["28"], ["29"])
    False
    """
    same_but_slip = slip or _one_dropped
    if not (only_left and only_right):
        return True
    only_right = list(only_right)
    unpaired = []
    for figure in only_left:
        match = next((other for other in only_right if same_but_slip(figure, other)), None)
        if match is None:
            unpaired.append(figure)
        else:
            only_right.remove(match)
    # What is left must be on one side only, as in ``figures_agree``.
    return not (unpaired and only_right)


def _one_dropped(a: str, b: str) -> bool:
    """Whether one of ``a``, ``b`` is the other with one digit dropped (at least 2 digits)."""
    shorter, longer = sorted((a, b), key=len)
    if len(longer) != len(shorter) + 1 or len(shorter) < 2 or not longer.isdigit():
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# OCR drops and doubles digits; it does not write one digit for another.
_MAX_SLIPS = 2
_DOUBLED = re.compile(r"(\d)\1+")


def _slipped(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one figure with at most two digits dropped or doubled.

    >>> _slipped("22488", "248"), _slipped("60", "0"), _slipped("16e", "17e")
    (True, True, False)
    """
    if a.isdigit() != b.isdigit() or not (a[-1:].isdigit() or a[-1:] == b[-1:]):
        return False
    single_a, single_b = _DOUBLED.sub(r"\1", a), _DOUBLED.sub(r"\1", b)
    shorter, longer = sorted((single_a, single_b), key=len)
    doubled = len(a) - len(single_a) + len(b) - len(single_b)
    if doubled + len(longer) - len(shorter) > _MAX_SLIPS or not shorter:
        return False
    rest = iter(longer)
    return all(char in rest for char in shorter)
