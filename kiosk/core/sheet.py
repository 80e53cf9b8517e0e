"""Spreadsheet text: the CSV dialect of ``ideas.csv`` and a submission's own cells in it.

Kept apart from :mod:`kiosk.core.export` because the store uses it too: when a
submission is stored, the store keeps the ``ideas.csv`` text of the cells the
submission itself fixes (see :func:`own_cells_text`), so that an export of
tens of thousands of ideas only adds what changes later (sync status, the
exporting machine's local time, topic titles from the configuration). No Qt here.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.core.bidi import balance

CSV_DIALECT = {"delimiter": ";", "quotechar": '"', "doublequote": True,
               "quoting": csv.QUOTE_MINIMAL, "lineterminator": "\r\n"}
"""Exactly how ideas.csv is written; read it back with ``csv.reader(f, **CSV_DIALECT)``
from a file opened with ``encoding="utf-8-sig", newline=""``."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is prefixed with ``'`` so spreadsheets show it as text."""
FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # each prefix is one character

OWN_COLUMNS = ("title", "text", "author_name", "age_group", "district", "lives_here", "locale",
               "consent_given", "consent_version", "is_sample", "unfinished", "kiosk_id", "event_id")
"""The ``ideas.csv`` columns a submission fixes when it is stored, in the sheet's order."""
_FLAG_COLUMNS = frozenset({"lives_here", "consent_given", "is_sample", "unfinished"})


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading =, +, -, @ would start a formula, and a
    directional control left open would reorder the cells after it (:func:`kiosk.core.bidi.balance`)."""
    text = balance(text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def yes_no(value: Any) -> str:
    """A flag as the sheet writes it: ``yes``, ``no``, or empty when unknown (0/1 will do)."""
    return "" if value is None else ("yes" if value else "no")


def guarded(cells: Sequence[str]) -> list[str]:
    """:func:`spreadsheet_safe` on every cell."""
    cells = [balance(cell) for cell in cells]
    return ["'" + cell if cell[:1] in FORMULA_FIRST else cell for cell in cells]


def csv_line(cells: Sequence[str]) -> str:
    """One ``ideas.csv`` line (CRLF included), quoted as :data:`CSV_DIALECT` says.

    Safe from any thread: the store calls it for each idea it stores (GUI
    thread) while an export may call it on another; each thread has its own
    buffer, as a shared one would mix two lines and the store keeps the result.
    """
    state = getattr(_PER_THREAD, "csv", None)
    if state is None:
        buffer = io.StringIO()
        state = _PER_THREAD.csv = (buffer, csv.writer(buffer, **CSV_DIALECT))
    buffer, writer = state
    buffer.seek(0)
    buffer.truncate()
    writer.writerow(cells)
    return buffer.getvalue()


_PER_THREAD = threading.local()


def cells_text(cells: Sequence[str]) -> str:
    """Cells as they stand inside an ``ideas.csv`` line: guarded, quoted where needed,
    joined by ``;``, no CRLF (one empty cell is the empty text, not the csv module's ``""``)."""
    if len(cells) == 1 and not cells[0]:
        return ""
    return csv_line(guarded(cells))[:-2]


PLATFORM_COLUMNS = ("platform_item_title", "platform_item_url")
"""The cells of the platform's proposal or debate an idea is attached to, after :data:`OWN_COLUMNS`."""


def platform_cells(value: Any) -> list[str]:
    """Title and link of ``platform_item``: a :class:`~kiosk.core.model.PlatformItemRef`, its
    stored JSON text, or None (two empty cells)."""
    if value is None:
        return ["", ""]
    if isinstance(value, str):
        data = json.loads(value)
        return [data["title"], data["url"]]
    return [value.title, value.url]


def own_cells(values: Mapping[str, Any]) -> list[str]:
    """The cells of :data:`OWN_COLUMNS` (and :data:`PLATFORM_COLUMNS` when ``values`` has a
    ``platform_item``, even None: a row of a schema before it has not), guarded, from a
    submission's fields by name."""
    cells = [yes_no(values[name]) if name in _FLAG_COLUMNS else (values[name] or "") for name in OWN_COLUMNS]
    if "platform_item" in values:
        cells += platform_cells(values["platform_item"])
    return guarded(cells)


def own_cells_text(values: Mapping[str, Any]) -> str:
    """:func:`own_cells` as they stand in an ``ideas.csv`` line (see :func:`cells_text`)."""
    return cells_text(own_cells(values))
