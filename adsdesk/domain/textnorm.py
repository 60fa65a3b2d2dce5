"""Length-preserving text normalisation: full-width to half-width, dash and space variants."""

from __future__ import annotations

# U+FF01..U+FF5E are the full-width forms of ASCII U+0021..U+007E, at a fixed offset.
_FULLWIDTH_OFFSET = 0xFEE0

_HALFWIDTH_TABLE: dict[int, int] = {cp: cp - _FULLWIDTH_OFFSET for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH_TABLE[0x3000] = 0x20  # ideographic space

# Everything a clerk or a typesetter may use for a dash between digit groups.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u30fc\u2500"
# Spaces of all widths (no-break, thin, zero-width…) become a plain space.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\ufeff\t"

_SCAN_TABLE: dict[int, int] = dict(_HALFWIDTH_TABLE)
_SCAN_TABLE.update({ord(c): ord("-") for c in _DASHES})
_SCAN_TABLE.update({ord(c): ord(" ") for c in _SPACES})


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII variants (U+FF01–U+FF5E) to ASCII and U+3000 to a space.

    One character maps to one character, so offsets into the result are offsets into ``text``.
    """
    return text.translate(_HALFWIDTH_TABLE)


def to_scan_form(text: str) -> str:
    """``to_halfwidth`` plus dash variants to ``-`` and odd spaces to `` ``; same length as input.

    Meant for scanners (phone numbers, prices) that report offsets into the original text.
    """
    return text.translate(_SCAN_TABLE)


def digits_only(text: str) -> str:
    """The ASCII digits of ``text`` (full-width digits included), in order."""
    return "".join(ch for ch in to_halfwidth(text) if "0" <= ch <= "9")
