"""kiosk.core.text: control characters out, cut to the limit at a grapheme boundary."""

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.bidi import balance
from kiosk.core.text import clean_text, cut_at_grapheme, grapheme_boundaries, remove_controls


def is_noncharacter(ch: str) -> bool:
    """Unicode's 66 noncharacters: U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane."""
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE


def reference_remove(text: str) -> str:
    """The spec, written the slow obvious way."""
    text = text.replace("\r\n", "\n")
    out = []
    for ch in text:
        if ch in "\r\u2028\u2029":
            out.append("\n")
        elif ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch == "\ufeff" or is_noncharacter(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


# Arbitrary Unicode, with the interesting parts made likely.
spicy = st.sampled_from(["\r\n", "\r", "\x00", "\x1b", "\x85", "\u2028", "\u2029", "\t", "\n",
                         "e\u0301", "\u200d", "👩\u200d👩\u200d👧", "🇩🇪", "👍🏽", "\u05e9\u05dc\u05d5\u05dd",
                         "\u202e", "\ufeff", "\ud800", "한", "\u1100\u1161\u11a8", "\ufdd0", "\ufffe",
                         "\U0010ffff"])
texts = st.lists(st.one_of(st.text(), spicy), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=texts, limit=st.integers(min_value=0, max_value=60))
def test_clean_is_input_minus_controls_cut_to_limit(text, limit):
    expected_full = reference_remove(text)
    result = clean_text(text, limit)
    assert len(result.text) <= limit
    assert result.cut == (len(expected_full) > limit)
    if not result.cut:
        assert result.text == balance(expected_full)
    else:
        # Cut on a cluster boundary of the full text, as late as possible; then balanced.
        bounds = grapheme_boundaries(expected_full)
        assert result.text == balance(expected_full[:max(b for b in bounds if b <= limit)])
    assert not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in result.text)
    result.text.encode("utf-8")  # storable


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_single_line_has_no_breaks_or_tabs(text):
    result = clean_text(text, 1000, single_line=True)
    assert "\n" not in result.text and "\t" not in result.text
    assert result.text == balance(reference_remove(text).replace("\n", " ").replace("\t", " ")) or result.cut


@pytest.mark.parametrize("text, limit, expected", [
    ("Café", 4, "Café"),
    ("Cafe\u0301", 4, "Caf"),               # e + combining acute stays together
    ("ab👩\u200d👩\u200d👧", 4, "ab"),        # ZWJ family is whole or gone
    ("ab👩\u200d👩\u200d👧", 7, "ab👩\u200d👩\u200d👧"),
    ("🇩🇪🇫🇷", 3, "🇩🇪"),                       # flags are pairs
    ("👍🏽x", 1, ""),                          # skin tone belongs to the hand
    ("שלום", 3, "שלו"),                        # RTL letters are kept, cut like any other
    ("abc", 0, ""),
])
def test_cut_examples(text, limit, expected):
    assert cut_at_grapheme(text, limit) == expected


def test_byte_order_mark_and_noncharacters_are_removed_and_reported():
    got = clean_text("\ufeffHallo\ufdd0 Welt\ufffe\U0001ffff\u2060!", 100)
    assert got.text == "Hallo Welt\u2060!" and got.removed and not got.cut   # U+2060 WORD JOINER stays


def test_controls_removed_and_reported():
    result = clean_text("a\x00b\x1bc\r\nd\te\x7f", 100)
    assert result.text == "abc\nd\te"
    assert result.removed and not result.cut


def test_line_breaks_are_not_removal():
    assert not clean_text("a\r\nb\u2029c", 100).removed
    assert remove_controls("a\r\nb\rc\u2028d") == "a\nb\nc\nd"


def test_huge_paste_is_fast():
    text = "Jena digital! " * 400_000  # about 5.6 MB
    start = time.perf_counter()
    result = clean_text(text, 1000)
    assert time.perf_counter() - start < 0.1
    assert result.cut and len(result.text) == 1000


def test_huge_paste_of_controls_then_text():
    text = "\x00" * 5_000_000 + "hallo"
    result = clean_text(text, 1000)
    assert result.text == "hallo" and result.removed and not result.cut
