"""Text normalisation: the one form every later stage compares.

The order matters: NFKC first so that compatibility characters (ligatures,
full-width digits, non-breaking spaces) become their plain forms; then
case folding; then NFKC again, because folding can leave decomposed
sequences that NFKC recomposes (the law ``normalize(normalize(x)) ==
normalize(x)`` holds only with the second pass). Typographic quotes,
apostrophes and dashes are unified after that, since house styles differ on
them and they carry no news. Figures are kept: in news, numbers are the story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from dedup.config import NormalizeConfig

# Characters that different house styles use for the same mark.
_TYPOGRAPHY = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-"),
    "\u2026": "...",
}
# French typography puts a space inside guillemets and before ; : ! ? where
# English copy has none: "Libye : Tripoli" and "Libye: Tripoli" are one headline.
_FRENCH_SPACES = (
    ("\u00ab ", "\u00ab"),
    (" \u00bb", "\u00bb"),
    (" :", ":"),
    (" ;", ";"),
    (" !", "!"),
    (" ?", "?"),
)
# A word broken at a line end and left hyphenated ("exam- ple") is rejoined.
_HYPHENATION = re.compile(r"- (?=[^\W\d_])")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _unhyphenate(match: re.Match[str]) -> str:
    start = match.start()
    return "" if start > 0 and match.string[start - 1].isalpha() else match.group()


def normalize_text(text: str, config: NormalizeConfig | None = None) -> str:
    """Return the comparable form of ``text``.

    >>> normalize_text("L\u2019ACTUALIT\u00c9  \u00ab\u00a0la plus lue\u00a0\u00bb : fin")
    'l\\'actualité "la plus lue": fin'
    >>> normalize_text("Libye \u2013 Tripoli", NormalizeConfig(fold_accents=True))
    'libye - tripoli'
    """
    return normalize_many([text], config)[0]


def normalize_many(texts: Sequence[str], config: NormalizeConfig | None = None) -> list[str]:
    """``normalize_text`` of each text, done in passes over many at once (much faster)."""
    config = config or NormalizeConfig()
    # Chunks bound the copies each pass makes (a few times the chunk's text).
    result: list[str] = []
    for start in range(0, len(texts), _CHUNK):
        result.extend(_normalize_chunk(texts[start : start + _CHUNK], config))
    return result


# Paragraphs normalised per pass.
_CHUNK = 20_000


def _normalize_chunk(texts: Sequence[str], config: NormalizeConfig) -> list[str]:
    # One string, one paragraph per line: each step below is then one C call
    # for the whole batch instead of one per paragraph. No step crosses a newline.
    lines = [t.replace("\n", " ") for t in texts]
    # ASCII is its own NFKC form and its case folding is lowercasing: only
    # the other paragraphs go through Unicode normalisation.
    unusual = [i for i, line in enumerate(lines) if not line.isascii()]
    for i, line in enumerate(lines):
        if line.isascii():
            lines[i] = line.lower()
    if unusual:
        folded = "\n".join(lines[i] for i in unusual)
        folded = unicodedata.normalize("NFKC", folded)
        folded = unicodedata.normalize("NFKC", folded.casefold())
        for i, line in zip(unusual, folded.split("\n"), strict=True):
            lines[i] = line
    text = "\n".join(lines)
    if config.fold_accents:
        text = unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFD", text)))
    # Any run of whitespace becomes one space (str.split is the fast way to do it).
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if config.tight_punctuation:
        for spaced, tight in _FRENCH_SPACES:
            text = text.replace(spaced, tight)
    # str.replace per mark present is much faster than str.translate with a dict.
    for mark, plain in _TYPOGRAPHY.items():
        if mark in text:
            text = text.replace(mark, plain)
    if config.join_hyphenation:
        text = _HYPHENATION.sub(_unhyphenate, text)
    return text.split("\n") if texts else []


def word_count(text: str) -> int:
    """Number of words in ``text``: runs of letters or digits, as word shingles count them.

    A figure's separators split it ("900,000" is two words), as in the
    usual ``\\w+`` tokenisation.

    >>> word_count("Net profit 1.2 mln vs 900,000")
    8
    """
    return len(_WORD.findall(text))


_WORD = re.compile(r"[^\W_]+")
