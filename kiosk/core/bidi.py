"""Right-to-left text that cannot reorder the text around it.

Visitors may type or paste Arabic, Hebrew or Persian, and with them the explicit
directional formatting characters of the Unicode Bidirectional Algorithm (UAX #9):
the embeddings and overrides U+202A-U+202E (LRE, RLE, PDF, LRO, RLO) and the isolates
U+2066-U+2069 (LRI, RLI, FSI, PDI). An opener left without its closer stays in force to
the end of the paragraph: a pasted U+202E RIGHT-TO-LEFT OVERRIDE in an idea reverses how
everything after it on the line displays, on a staff page, in a spreadsheet, on the
platform.

:func:`balance` keeps every opener that is closed on the same line and drops the rest
(and every closer without an opener), so what a contribution opens it also closes:

* a PDF closes the innermost embedding or override, but not across an isolate;
* a PDI closes the innermost open isolate and, with it, every embedding opened inside it;
* a line break ends every open opener (UAX #9: a paragraph ends them), so each line is
  balanced on its own.

Natural right-to-left text (the letters themselves, the marks LRM/RLM/ALM, which only set
a direction for neighbouring neutrals) is kept as it is. Where visitor text is shown
inside a longer line of our own, :func:`isolate` wraps it in FIRST STRONG ISOLATE ... POP
DIRECTIONAL ISOLATE, so even its natural direction stays inside it (HTML pages use
``<bdi>`` / ``dir="auto"`` for the same).

Pure functions, no Qt; cheap when there is nothing to do (one regular-expression search).
"""

from __future__ import annotations

import re

__all__ = ["EMBEDDINGS", "ISOLATES", "PDF", "PDI", "FSI", "balance", "has_controls", "isolate"]

LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
EMBEDDINGS = frozenset((LRE, RLE, LRO, RLO))
"""Openers closed by PDF."""
ISOLATES = frozenset((LRI, RLI, FSI))
"""Openers closed by PDI."""

_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def has_controls(text: str) -> bool:
    """Whether ``text`` holds any explicit directional formatting character."""
    return _CONTROLS.search(text) is not None


def balance(text: str) -> str:
    """``text`` with every directional opener or closer that has no partner on its line removed."""
    if _CONTROLS.search(text) is None:
        return text
    return "\n".join(_balance_line(line) for line in text.split("\n"))


def _balance_line(line: str) -> str:
    if _CONTROLS.search(line) is None:
        return line
    keep = [True] * len(line)
    stack: list[int] = []  # positions of the openers still open
    for pos, ch in enumerate(line):
        if ch in EMBEDDINGS or ch in ISOLATES:
            stack.append(pos)
        elif ch == PDF:
            if stack and line[stack[-1]] in EMBEDDINGS:
                stack.pop()
            else:
                keep[pos] = False  # nothing to close, or an isolate is innermost
        elif ch == PDI:
            isolate_at = next((i for i in range(len(stack) - 1, -1, -1) if line[stack[i]] in ISOLATES), None)
            if isolate_at is None:
                keep[pos] = False
            else:
                for unclosed in stack[isolate_at + 1:]:
                    keep[unclosed] = False  # embeddings inside the isolate it closes: never closed themselves
                del stack[isolate_at:]
    for unclosed in stack:
        keep[unclosed] = False
    return "".join(ch for ch, kept in zip(line, keep) if kept)


def isolate(text: str) -> str:
    """``text``, balanced, between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: for putting
    a visitor's words inside a line of other text (a list entry, a notice)."""
    return FSI + balance(text) + PDI if text else text
