"""Export of the staff app's current selection: the kiosk's bundle ZIP and ``ideas.csv``.

The bundle is written by the kiosk's own bundle writer (``kiosk.core.export.write_bundle``),
so ``kiosk verify-bundle`` checks it and ``kiosk receiver import`` takes it; the CSV is the
bundle's ``ideas.csv`` alone, in the kiosk's German-Excel dialect (UTF-8 with BOM, ``;``,
CRLF, formula guard: ``kiosk.core.sheet``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path

from kiosk.core.export import BundleMeta, ExportResult, Titles, write_bundle
from kiosk.core.export.bundle import csv_header, csv_row
from kiosk.core.model import utc_now
from kiosk.core.sheet import csv_line
from sync.receiver.bundle_export import RECEIVER_NAME, is_slug, rows_as_items
from sync.receiver.storage import ExportRow, ReceiverStore
from sync.receiver.web.queries import Filters, where_clause

BATCH = 500


def selection_rows(store: ReceiverStore, f: Filters, tz: tzinfo | None) -> Iterator[ExportRow]:
    """The selection's stored rows (never a tombstone), oldest first, read in batches."""
    where, args = where_clause(f, tz)
    last = ("", "")
    while True:
        with store.reading() as db:
            rows = db.execute(
                f"SELECT s.id, s.sha256, s.delivered_by, s.received_at, s.canonical, s.created_at "
                f"FROM submissions AS s WHERE {where} AND s.state != 'deleted' AND (s.created_at, s.id) > (?, ?) "
                f"ORDER BY s.created_at, s.id LIMIT ?", [*args, *last, BATCH]).fetchall()
        if not rows:
            return
        for sub_id, sha, delivered_by, received_at, canonical, _created in rows:
            yield ExportRow(sub_id, sha, delivered_by, received_at, bytes(canonical))
        last = (rows[-1][5], rows[-1][0])


def _count(store: ReceiverStore, f: Filters, tz: tzinfo | None) -> int:
    where, args = where_clause(f, tz)
    with store.reading() as db:
        return db.execute(f"SELECT COUNT(*) FROM submissions AS s WHERE {where} AND s.state != 'deleted'",
                          args).fetchone()[0]


def _event(store: ReceiverStore, f: Filters, tz: tzinfo | None) -> str:
    where, args = where_clause(f, tz)
    with store.reading() as db:
        events = [r[0] for r in db.execute(
            f"SELECT DISTINCT s.event_id FROM submissions AS s WHERE {where} LIMIT 2", args)]
    if len(events) == 1 and is_slug(events[0]):
        return events[0]
    return "mixed" if events else "none"


def export_selection(store: ReceiverStore, f: Filters, tz: tzinfo | None, out: Path,
                     name: str = RECEIVER_NAME, titles: Titles | None = None) -> ExportResult:
    """The selection as one bundle ZIP in the folder *out* (a name is made up)."""
    meta = BundleMeta(kiosk_id=name, event_id=_event(store, f, tz), exported_at=utc_now(), source="receiver")
    return write_bundle(out, rows_as_items(store, selection_rows(store, f, tz)), meta=meta,
                        titles=titles or Titles(), total=_count(store, f, tz))


def selection_csv(store: ReceiverStore, f: Filters, tz: tzinfo | None, titles: Titles | None = None) -> bytes:
    """``ideas.csv`` of the selection's ideas, in the bundle's dialect (BOM, ``;``, CRLF)."""
    titles = titles or Titles()
    out = io.StringIO()
    out.write("\ufeff" + csv_line(csv_header(titles)))
    for item in rows_as_items(store, selection_rows(store, f, tz)):
        if item.submission.kind == "idea":
            out.write(csv_line(csv_row(item, titles)))
    return out.getvalue().encode("utf-8")
