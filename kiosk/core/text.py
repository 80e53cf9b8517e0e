"""Cleaning visitor text on its way in: control characters out, cut to a limit.

Pure functions, no Qt. Every path that puts text into an idea (on-screen
keyboard, physical keyboard, paste) goes through :func:`clean_text`, so what is
stored is exactly "the input minus removed characters, cut to the limit".

What is removed or changed:

* C0/C1 control characters (Unicode category ``Cc``) except ``\\n`` and ``\\t``;
* lone surrogates (``Cs``), which are not text and cannot be stored as UTF-8;
* the byte-order mark U+FEFF and the noncharacters (U+FDD0-U+FDEF, and the last two
  code points of every plane, U+FFFE/U+FFFF ... U+10FFFF): they are markers for
  programs, not text, and Qt's text fields drop or convert some of them depending on
  where they stand (a leading U+FEFF vanishes, U+FDD0 becomes a paragraph break), so
  keeping them would make what is stored differ from what the visitor saw;
* line breaks are unified: ``\\r\\n``, ``\\r``, U+2028 and U+2029 become ``\\n``
  (a text field shows them all as a new line anyway);
* with ``single_line=True`` (titles, names) ``\\n`` and ``\\t`` become a space;
* a directional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069) that is
  not closed on its line, and a closer with nothing to close (:func:`kiosk.core.bidi.balance`):
  a pasted RIGHT-TO-LEFT OVERRIDE can never reverse the text after the idea.

Everything else is kept: emoji, combining marks, right-to-left text, and the
format characters those need (ZWJ, direction marks, variation selectors).

The limit counts code points (``len`` in Python), the unit the store, the
receiver and the live counter all agree on. The text is cut at a *grapheme
cluster* boundary at or before the limit, so a cut never leaves half a
character on screen: an ``e`` is not separated from its combining accent, a
family emoji (joined by ZWJ) or a flag (a pair of regional indicators) is kept
whole or dropped whole. The cluster rules are a compact subset of UAX #29
(extend/spacing marks, ZWJ sequences, emoji modifiers and tags, regional
indicator pairs, Hangul jamo), enough for what a visitor can type or paste;
the standard library has no full segmenter and the kiosk needs no extra
dependency for this. The result may therefore be a few code points shorter
than the limit when a cluster straddles it, never longer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kiosk.core import bidi

__all__ = ["Cleaned", "clean_text", "remove_controls", "cut_at_grapheme", "grapheme_boundaries"]

# Cc except \t (09) and \n (0a), lone surrogates, U+FEFF and the noncharacters;
# \r is handled by the line-break rule first.
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff" + _NONCHARACTERS + "]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
_SINGLE_LINE = str.maketrans({"\n": " ", "\t": " "})


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of :func:`clean_text`.

    Attributes:
        text: the cleaned text, at most ``limit`` code points.
        cut: True when text was dropped because of the limit.
        removed: True when control characters were removed.
    """

    text: str
    cut: bool
    removed: bool


def remove_controls(text: str, *, single_line: bool = False) -> str:
    """Unify line breaks and drop control characters (see the module doc)."""
    out = _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
    return out.translate(_SINGLE_LINE) if single_line else out


def clean_text(text: str, limit: int, *, single_line: bool = False) -> Cleaned:
    """Clean ``text`` and cut it to ``limit`` code points at a grapheme boundary.

    Works on a prefix that grows in chunks, so a 5 MB paste into a field of
    1,000 characters costs about as much as a paste of a few thousand.

    Args:
        text: what the visitor typed or pasted.
        limit: the most code points the result may have (0 or more).
        single_line: turn newlines and tabs into spaces (titles, names).
    """
    limit = max(0, limit)
    # Enough cleaned characters to know whether we are over the limit, plus a
    # look-ahead so a cluster that straddles the limit is seen whole.
    want = limit + 64
    chunk = max(4096, 2 * want)
    parts: list[str] = []
    have = 0
    pos = 0
    n = len(text)
    while pos < n and have <= want:
        end = min(n, pos + chunk)
        if end < n and text[end - 1] == "\r":
            end += 1  # never split \r\n across chunks
        piece = remove_controls(text[pos:end], single_line=single_line)
        parts.append(piece)
        have += len(piece)
        pos = end
        chunk *= 2
    cleaned = "".join(parts)
    removed = _removed_any(text, cleaned, pos, single_line)
    cut = not (pos >= n and len(cleaned) <= limit)
    if cut:
        cleaned = cut_at_grapheme(cleaned, limit)
    balanced = bidi.balance(cleaned)  # after the cut: a closer cut off leaves its opener alone
    return Cleaned(balanced, cut, removed or len(balanced) != len(cleaned))


def _removed_any(text: str, cleaned: str, pos: int, single_line: bool) -> bool:
    # Only what was looked at counts: beyond ``pos`` the text is cut anyway.
    # Line-break unification and single-line spaces are not "removal".
    looked = text[:pos]
    return len(_CONTROL.sub("", _LINE_BREAKS.sub("\n", looked))) != len(_LINE_BREAKS.sub("\n", looked))


def cut_at_grapheme(text: str, limit: int) -> str:
    """The longest prefix of ``text`` of at most ``limit`` code points ending on a cluster boundary."""
    if len(text) <= limit:
        return text
    end = limit
    # Walk back until position ``end`` is a boundary. Clusters are short, but
    # a pathological run of combining marks is bounded by the walk anyway.
    while end > 0 and not _is_boundary(text, end):
        end -= 1
    return text[:end]


def grapheme_boundaries(text: str) -> list[int]:
    """Every cluster boundary in ``text``, including 0 and ``len(text)``."""
    return [i for i in range(len(text) + 1) if _is_boundary(text, i)]


# ------------------------------------------------------------------ UAX #29 (subset)


def _is_extend(ch: str) -> bool:
    cp = ord(ch)
    if cp == 0x200D or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True  # ZWJ, variation selectors
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return True  # emoji skin-tone modifiers, emoji tag sequences
    if 0xFF9E <= cp <= 0xFF9F:
        return True  # halfwidth katakana voiced sound marks
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _is_ri(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _hangul(ch: str) -> str:
    cp = ord(ch)
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _is_boundary(text: str, i: int) -> bool:
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    if before == "\n" or after == "\n" or before == "\t" or after == "\t":
        return True
    if _is_extend(after):
        return unicodedata.category(before) == "Cc"
    if before == "\u200d":
        return False  # ZWJ sequences (emoji families, professions, ...)
    if _is_ri(before) and _is_ri(after):
        # Pairs of regional indicators form a flag: count the run before i.
        run = 0
        j = i - 1
        while j >= 0 and _is_ri(text[j]):
            run += 1
            j -= 1
        return run % 2 == 0
    hb, ha = _hangul(before), _hangul(after)
    if hb == "L" and ha in ("L", "V", "LV", "LVT"):
        return False
    if hb in ("LV", "V") and ha in ("V", "T"):
        return False
    if hb in ("LVT", "T") and ha == "T":
        return False
    return True
