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
import string
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from dedup.align import letters, slips

# OCR reads 0 as o and 1 as l: next to a digit, they are taken back ("l0",
# "1o.5"), unless they belong to a word ("1ost", "wil1", "bi1lion").
_OCR_DIGIT = re.compile(
    r"(?<=\d)[ol]+(?![^\W\d_])|(?<=\d[.,])[ol]+(?![^\W\d_])|(?<![^\W\d_])[ol]+(?=[.,]?\d)"
)
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
    """The value of a roman numeral of i, v and x.

    >>> _roman("xxiv"), _roman("ix")
    (24, 9)
    """
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


_ROMANS = [
    tens + units
    for tens in ("", "x", "xx", "xxx")
    for units in ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
    if len(tens + units) >= 2
]
_ORDINAL_SUFFIX = r"(?:ères?|eres?|ers?|res?|ièmes?|iemes?|èmes?|emes?|es?|è|st|nd|rd|th)"

# Roman ordinals: XXe, IIe, Ier ("vie" and "ive" are words, above).
_ROMAN_ORDINAL = (
    r"\b(?!vies?\b|ives?\b)(?P<roman>" + _alternatives(_ROMANS) + r"|i(?=er\b))"
    + _ORDINAL_SUFFIX + r"\b"
)  # fmt: skip
# A number: digits with their separators (1,200.5; 1.200,5; "12 000" and
# "51'000" are joined beforehand), standing apart from the word before it (a
# digit inside a word is OCR noise: "bi1lion", "d1rs"), never starting
# inside another ("1,200" must not yield "200"; "police,51" is a space
# lost). It starts with the digit itself and looks behind after, so that the
# engine skips straight to the digits of a paragraph; the possessive
# quantifiers keep "1.75dlr" from yielding "1.7". Then, in this
# order, what follows it: an hour ("14h30", "22 h 20", "9h"), an ordinal
# suffix ("1er", "1re", "16e", "3ème", "21st"), its magnitude ("1.2 mln",
# "400mln"), nothing, or another word run into it ("24pct": a space lost),
# unless the number is a lone 0 or 1 (an "o" or "l" misread: "0f").
_NUMBER = (
    r"(?P<number>\d(?<!\w\d)(?<!\d[.,]\d)\d*+(?:[.,]\d++)*+)"
    r"(?:(?P<hour> ?h ?(?P<minute>[0-5]\d)?)(?![^\W_])"
    r"|(?P<suffix>" + _ORDINAL_SUFFIX + r")(?![^\W\d_])"
    r"|(?P<glued> ?(?:" + _alternatives(_MAGNITUDES) + r"))\b"
    r"|(?![^\W\d_])|(?<![^\d.,][01])(?<!^[01])(?=[^\W\d_]))"
)  # fmt: skip
# A number of two digits or more run into the word before it ("at51.875",
# "june17": a space lost) is a figure too; a lone digit in a word is not.
_NUMBER_AFTER_WORD = (
    r"(?P<after_word>\d(?<=[^\W\d_]\d)(?:\d++(?:[.,]\d++)*+|(?:[.,]\d++)++))(?![^\W\d_])"
)
# Number words, and runs of them joined by spaces, hyphens or "et"; "cent"
# in "pour cent" and "per cent" is a percent sign.
_WORDS = (
    r"\b(?P<words>(?:" + _alternatives(_COMPONENTS) + r")"
    r"(?:(?:-et-| et |-| )(?:" + _alternatives({*_COMPONENTS, "un", "une"}) + r"))*+)\b"
)  # fmt: skip
_MAGNITUDE = r"\b(?P<magnitude>" + _alternatives(_MAGNITUDES) + r")\b"
# Figures that start with a digit, and those spelt in letters: two passes,
# the second only over paragraphs that hold one of its words (a third do).
_DIGIT_FIGURE = re.compile(_NUMBER + "|" + _NUMBER_AFTER_WORD)
_WORD_FIGURE = re.compile("|".join((_ROMAN_ORDINAL, _WORDS, _MAGNITUDE)))
# (A magnitude after digits is read with them; alone, only beside number words.)
_FIGURE_WORDS = frozenset(
    {*_COMPONENTS, "ier"}
    | {numeral + suffix for numeral in _ROMANS for suffix in ("e", "er", "re", "ème", "eme")}
)
_AS_SPACES = str.maketrans(dict.fromkeys(string.punctuation + string.digits, " "))
# French typography groups thousands with a (narrow no-break, folded to a
# plain) space or an apostrophe: "19 337 992,84", "51'000".
_THOUSANDS_GROUPS = re.compile(r"\d(?<![\d']\d)(?<!\d[.,]\d)\d{0,2}(?:[ ']\d{3})+(?!\d)")
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
    matches = list(_DIGIT_FIGURE.finditer(text))
    if not _FIGURE_WORDS.isdisjoint(text.translate(_AS_SPACES).split()):
        matches = sorted((*matches, *_WORD_FIGURE.finditer(text)), key=lambda m: m.start())
    found: list[str] = []
    for match in matches:
        if match.re is _DIGIT_FIGURE:
            found += _number(match)
            continue
        words = match.group("words")
        if words is not None:
            parts = re.split(r"-et-| et |-| ", words)
            if parts[0] in _HUNDREDS and text[: match.start()].endswith(("pour ", "per ")):
                parts = parts[1:]  # "pour cent", "per cent": a percent sign
            found += _compose(parts)
        elif match.group("roman") is not None:
            found.append(f"{_roman(match.group('roman'))}e")
        elif not text[max(match.start() - 2, 0) : match.start()].strip()[-1:].isdigit():
            found.append(_MAGNITUDES[match.group("magnitude")])  # (after digits: read there)
    return tuple(found)


def _number(match: re.Match[str]) -> list[str]:
    """The figures of a match of ``_DIGIT_FIGURE``: a number, an hour, an ordinal, a number
    and its magnitude."""
    digits = match.group("number")
    if digits is None:
        return [_plain(match.group("after_word"))]
    if match.group("hour") is not None and digits.isdigit() and int(digits) < 24:
        minute = match.group("minute") or "00"
        return [f"{int(digits)}h{'' if minute == '00' else minute}"]
    suffix = match.group("suffix")
    if suffix is not None:
        # "10st" is "1ost" misread, not an ordinal: nothing to read.
        return [f"{_plain(digits)}e"] if _ordinal_reads(digits, suffix) else []
    glued = match.group("glued")
    return [_plain(digits), _MAGNITUDES[glued.lstrip()]] if glued else [_plain(digits)]


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
    slips), figures that differ by digits dropped or doubled ("1985" /
    "19855", "60" / "0") are slips too, and a magnitude word lost ("bi1lion")
    is no figure changed.

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
    only_left, only_right = _one_sided(ordered_left, ordered_right)
    if not (only_left and only_right):
        return True
    if not noisy or min(len(only_left), len(only_right)) > _MAX_SLIPPED_FIGURES:
        return False  # (more than a few figures changed: another table, not a misread copy)
    for is_magnitude in (True, False):
        kept_left = [f for f in only_left if (f in _MAGNITUDE_LETTERS) is is_magnitude]
        kept_right = [f for f in only_right if (f in _MAGNITUDE_LETTERS) is is_magnitude]
        if not (
            _one_sided_after_slips(kept_left, kept_right)
            or _one_sided_after_slips(kept_right, kept_left)
        ):
            return False
    return True


def same_figures(
    left: Sequence[str],
    right: Sequence[str],
    texts: Callable[[], tuple[str, str]],
    slips_forgiven: bool = True,
) -> bool:
    """Whether two paragraphs with figures ``left`` and ``right`` report the same figures,
    taking digits dropped or doubled for slips only when their text shows slips too.

    ``texts`` gives the two normalised paragraphs; it is called only when the
    figures differ by slips (never without ``slips_forgiven``: a paragraph that
    only reuses part of another is read as it stands). When the words are
    otherwise the same (a template), "40.1 mln" and "4.0 mln" are other
    figures; in a copy with a letter misread here and there, they are one more
    misreading.

    >>> same_figures(("60", "7"), ("0", "7"), lambda: ("ec share 60 pct", "ec sharc 0 pct"))
    True
    >>> same_figures(("60", "7"), ("0", "7"), lambda: ("ec share 60 pct", "ec share 0 pct"))
    False
    """
    if figures_agree(left, right):
        return True
    if not (slips_forgiven and figures_agree(left, right, noisy=True)):
        return False
    left_text, right_text = texts()
    # The same words around other figures: a template, no slip to forgive.
    return letters(left_text) != letters(right_text) and slips(left_text, right_text) >= 1


def _one_sided(ordered_left: list[str], ordered_right: list[str]) -> tuple[list[str], list[str]]:
    """The figures of each sorted list that the other lacks (one walk over both).

    >>> _one_sided(["12", "28", "6"], ["12", "29"])
    (['28', '6'], ['29'])
    """
    i = j = 0
    size_left, size_right = len(ordered_left), len(ordered_right)
    only_left: list[str] = []
    only_right: list[str] = []
    while i < size_left and j < size_right:
        a, b = ordered_left[i], ordered_right[j]
        if a == b:
            i, j = i + 1, j + 1
        elif a < b:
            only_left.append(a)
            i += 1
        else:
            only_right.append(b)
            j += 1
    return only_left + ordered_left[i:], only_right + ordered_right[j:]


def _one_sided_after_slips(only_left: list[str], only_right: list[str]) -> bool:
    """Whether, once figures that are the same but for a slip are paired up, what is left
    is on one side.

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
        match = next((other for other in only_right if _slipped(figure, other)), None)
        if match is None:
            unpaired.append(figure)
        else:
            only_right.remove(match)
    return not (unpaired and only_right)


# OCR drops and doubles digits; it does not write one digit for another.
_MAX_SLIPS = 2
# More figures than this changed on both sides is another table, not noise.
_MAX_SLIPPED_FIGURES = 4


@lru_cache(maxsize=1 << 16)
def _slipped(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one figure with one or two digits dropped or doubled: the
    shorter is the longer with one or two characters taken out.

    >>> _slipped("22488", "248"), _slipped("60", "0"), _slipped("1994", "19994")
    (True, True, True)
    >>> _slipped("16e", "17e"), _slipped("28", "29"), _slipped("1985", "1958")
    (False, False, False)
    """
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if not 0 < len(longer) - len(shorter) <= _MAX_SLIPS or a.isdigit() != b.isdigit():
        return False
    rest = iter(longer)
    return all(char in rest for char in shorter)
