"""kiosk.core.bidi: what a contribution opens it closes, on every line; the rest is kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.bidi import EMBEDDINGS, FSI, ISOLATES, PDF, PDI, balance, has_controls, isolate
from kiosk.core.text import clean_text

LRE, RLE, LRO, RLO = "\u202a", "\u202b", "\u202d", "\u202e"
LRI, RLI = "\u2066", "\u2067"
CONTROLS = set(EMBEDDINGS | ISOLATES | {PDF, PDI})

ARABIC = "\u0641\u0643\u0631\u0629 \u062c\u064a\u062f\u0629"  # "a good idea"
HEBREW = "\u05e8\u05e2\u05d9\u05d5\u05df \u05d8\u05d5\u05d1"  # "a good idea"
GERMAN = "Mehr Bänke im Park"


def is_balanced(text: str) -> bool:
    """UAX #9's matching, written plainly: every opener closed on its line, every closer matched."""
    for line in text.split("\n"):
        stack: list[str] = []
        for ch in line:
            if ch in EMBEDDINGS or ch in ISOLATES:
                stack.append(ch)
            elif ch == PDF:
                if not stack or stack[-1] not in EMBEDDINGS:
                    return False
                stack.pop()
            elif ch == PDI:
                if not stack or stack[-1] not in ISOLATES:  # balance() drops what a PDI would close implicitly
                    return False
                stack.pop()
        if stack:
            return False
    return True


def without_controls(text: str) -> str:
    return "".join(ch for ch in text if ch not in CONTROLS)


@pytest.mark.parametrize("text, expected", [
    (f"{GERMAN} {RLO}gnirts", f"{GERMAN} gnirts"),                     # the pasted override of the issue
    (f"{RLO}abc{PDF} def", f"{RLO}abc{PDF} def"),                      # closed on its line: kept
    (f"{RLO}abc\ndef{PDF}", "abc\ndef"),                               # a line break ends it
    (f"{PDF}{PDI}{GERMAN}", GERMAN),                                   # closers with nothing to close
    (f"{RLI}{ARABIC}{PDI} 2026", f"{RLI}{ARABIC}{PDI} 2026"),
    (f"{RLI}{RLE}{ARABIC}{PDI}", f"{RLI}{ARABIC}{PDI}"),                # PDI closes the isolate; the RLE inside goes
    (f"{RLE}{LRI}x{PDF}{PDI}", f"{LRI}x{PDI}"),                        # a PDF does not close across an isolate
    (f"{LRE}{LRO}{FSI}{HEBREW}", HEBREW),
    (f"{HEBREW} \u200f! {ARABIC}", f"{HEBREW} \u200f! {ARABIC}"),      # letters and RLM are natural: kept
])
def test_balance_examples(text: str, expected: str) -> None:
    assert balance(text) == expected
    assert is_balanced(balance(text))


spicy = st.sampled_from([LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, "\n", " ", "a", ARABIC, HEBREW, GERMAN,
                         "\u200e", "\u200f"])
texts = st.lists(spicy, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=texts)
def test_balance_removes_only_controls_and_leaves_every_line_balanced(text: str) -> None:
    out = balance(text)
    assert is_balanced(out)
    assert without_controls(out) == without_controls(text)  # nothing but directional controls removed
    it = iter(text)
    assert all(ch in it for ch in out)  # a subsequence: nothing added, nothing moved
    assert balance(out) == out


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_a_balanced_text_is_kept_whole(text: str) -> None:
    if is_balanced(text):
        assert balance(text) == text


def test_clean_text_balances_after_the_cut_and_says_it_removed_something() -> None:
    typed = f"{RLO}{ARABIC}{PDF} {GERMAN}"
    kept = clean_text(typed, 200)
    assert kept.text == typed and not kept.removed
    cut = clean_text(typed, 5)  # the PDF is cut off: the RLO would stay open
    assert cut.text == ARABIC[:4] and cut.cut and cut.removed
    pasted = clean_text(f"{GERMAN} {RLO}", 200)
    assert pasted.text == f"{GERMAN} " and pasted.removed


def test_isolate_wraps_balanced_text_and_leaves_empty_text_empty() -> None:
    assert isolate(f"{ARABIC}{RLO}") == f"{FSI}{ARABIC}{PDI}"
    assert isolate("") == ""
    assert has_controls(isolate(GERMAN)) and not has_controls(GERMAN)
