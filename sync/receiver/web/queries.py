"""What the staff app reads: filtered, searched, keyset-paged lists, one item, the overview's counts.

Pure SQL builders (:func:`browse_sql`) and thin readers over a :class:`ReceiverStore`. Pages are
keyset pages, newest first by the visitor's time and then the id (``(created_at, id) < cursor``),
so page 2,000 costs what page 1 costs; full-text search goes through the FTS5 index that the
storage's triggers keep (``submissions_fts``).
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, NamedTuple

from sync.protocol import is_uuid4
from sync.receiver.moderation import STATES
from sync.receiver.storage import ReceiverStore

PAGE_SIZE = 50
KINDS = ("idea", "drawing")
_SLUGISH = re.compile(r"^[A-Za-z0-9:][A-Za-z0-9._:-]{0,80}$")
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT[0-9:.]+Z$")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Filters:
    event: str = ""
    terminal: str = ""
    topic: str = ""
    kind: str = ""
    state: str = ""
    day_from: str = ""
    day_to: str = ""
    q: str = ""

    def params(self) -> dict[str, str]:
        """The filters as query parameters (only those set)."""
        return {k: v for k in self.__slots__ if (v := getattr(self, k))}  # type: ignore[attr-defined]

    def is_empty(self) -> bool:
        return not self.params()


_GERMAN_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def _day(text: str) -> str:
    """A day as typed into the filter (``31.12.2024``, ``1.7.2024``) or linked (``2024-12-31``), as
    ISO; '' when it is no day."""
    german = _GERMAN_DAY.match(text)
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1])).isoformat()
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return ""


def day_text(iso: str) -> str:
    """An ISO day as the filter's field shows it: ``31.12.2024`` (both languages: one format to
    type, and the one a German office writes)."""
    try:
        return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""
    except ValueError:
        return ""


def parse_filters(params: Mapping[str, str]) -> Filters:
    """Filters from a query string; a value that cannot be meant is dropped (never an error page)."""
    def slug(name: str) -> str:
        value = (params.get(name) or "").strip()
        return value if _SLUGISH.match(value) else ""

    kind = params.get("kind") or ""
    state = params.get("state") or ""
    return Filters(event=slug("event"), terminal=slug("terminal"), topic=slug("topic"),
                   kind=kind if kind in KINDS else "", state=state if state in STATES else "",
                   day_from=_day(params.get("from") or params.get("day_from") or ""),
                   day_to=_day(params.get("to") or params.get("day_to") or ""),
                   q=(params.get("q") or "").strip()[:200])


def fts_query(text: str) -> str:
    """The visitor-proof FTS5 query of what staff typed: every word must occur (as a prefix)."""
    words = _WORD.findall(text)[:12]
    return " ".join(f'"{w}"*' for w in words)


def utc_bound(day: str, tz: tzinfo | None, *, end: bool) -> str:
    """The UTC stamp where the local *day* begins (or, with ``end``, where the next one begins)."""
    d = date.fromisoformat(day) + (timedelta(days=1) if end else timedelta())
    start = datetime.combine(d, time.min)
    local = start.replace(tzinfo=tz) if tz else start.astimezone()
    return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def where_clause(f: Filters, tz: tzinfo | None) -> tuple[str, list[Any]]:
    """The WHERE of the filters (tombstones of deleted items only when asked for by state)."""
    conds: list[str] = []
    args: list[Any] = []
    for column, value in (("event_id", f.event), ("kiosk_id", f.terminal), ("topic_id", f.topic),
                          ("kind", f.kind), ("state", f.state)):
        if value:
            conds.append(f"s.{column} = ?")
            args.append(value)
    if not f.state:
        conds.append("s.state != 'deleted'")
    if f.day_from:
        conds.append("s.created_at >= ?")
        args.append(utc_bound(f.day_from, tz, end=False))
    if f.day_to:
        conds.append("s.created_at < ?")
        args.append(utc_bound(f.day_to, tz, end=True))
    match = fts_query(f.q)
    if match:
        conds.append("s.rowid IN (SELECT rowid FROM submissions_fts WHERE submissions_fts MATCH ?)")
        args.append(match)
    return " AND ".join(conds) or "1", args


_C = "nullif(s.canonical, X'')"  # a tombstone's canonical is empty: its fields are NULL
LIST_COLUMNS = ("s.id, s.kind, s.kiosk_id, s.event_id, s.topic_id, s.state, s.created_at, s.received_at, "
                f"json_extract({_C}, '$.title'), substr(json_extract({_C}, '$.text'), 1, 240), "
                f"json_extract({_C}, '$.reference_code'), json_extract({_C}, '$.author_name')")


def browse_sql(f: Filters, tz: tzinfo | None, *, after: tuple[str, str] | None = None,
               before: tuple[str, str] | None = None, limit: int = PAGE_SIZE) -> tuple[str, list[Any]]:
    """The SQL of one keyset page (one row more than shown, to know whether there is a next)."""
    where, args = where_clause(f, tz)
    order = "DESC"
    if after:
        where += " AND (s.created_at, s.id) < (?, ?)"
        args += list(after)
    elif before:
        where += " AND (s.created_at, s.id) > (?, ?)"
        args += list(before)
        order = "ASC"
    # The page's rows are picked by the index first and only then read: the columns (JSON
    # fields of each row's canonical form) are computed for these rows alone, not for every
    # match a search sorts.
    return (f"SELECT {LIST_COLUMNS} FROM submissions AS s WHERE s.rowid IN ("
            f"SELECT s.rowid FROM submissions AS s WHERE {where} "
            f"ORDER BY s.created_at {order}, s.id {order} LIMIT ?) "
            f"ORDER BY s.created_at {order}, s.id {order}", [*args, limit + 1])


class Row(NamedTuple):
    """One row of a browse page (a named tuple: fifty are made per page, a seventh of a dataclass's cost)."""

    id: str
    kind: str
    kiosk_id: str
    event_id: str
    topic_id: str
    state: str
    created_at: str
    received_at: str
    title: str | None
    text: str | None
    reference_code: str | None
    author_name: str | None


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Row]
    newer: tuple[str, str] | None
    """The cursor of the page before (newer items), None on the first."""
    older: tuple[str, str] | None


def parse_cursor(text: str | None) -> tuple[str, str] | None:
    """``<created_at>~<id>`` from a link, or None when it is not one."""
    if not text:
        return None
    stamp, _, sub_id = text.partition("~")
    return (stamp, sub_id) if _STAMP.match(stamp) and is_uuid4(sub_id) else None


def cursor_text(cursor: tuple[str, str]) -> str:
    return f"{cursor[0]}~{cursor[1]}"


def browse(store: ReceiverStore, f: Filters, tz: tzinfo | None, *, after: tuple[str, str] | None = None,
           before: tuple[str, str] | None = None, limit: int = PAGE_SIZE) -> Page:
    sql, args = browse_sql(f, tz, after=after, before=before, limit=limit)
    with store.reading() as db:
        raw = db.execute(sql, args).fetchall()
    more = len(raw) > limit
    raw = raw[:limit]
    if before:
        raw.reverse()
    rows = list(map(Row._make, raw))
    if not rows:
        return Page([], None, None)
    first, last = (rows[0].created_at, rows[0].id), (rows[-1].created_at, rows[-1].id)
    if before:
        return Page(rows, first if more else None, last)
    return Page(rows, first if after else None, last if more else None)


@dataclass(frozen=True, slots=True)
class Choices:
    """What the filter menus offer (hashable: the rendered filter form is kept per choices)."""

    events: tuple[str, ...]
    terminals: tuple[str, ...]
    topics: tuple[str, ...]


_CHOICES: weakref.WeakKeyDictionary[ReceiverStore, tuple[float, Choices]] = weakref.WeakKeyDictionary()
CHOICES_TTL_S = 30.0


def choices(store: ReceiverStore) -> Choices:
    """The values the filter menus offer: events, terminals, fields of action (as stored).

    Three scans of an index each: kept for :data:`CHOICES_TTL_S` per store, as a new terminal or
    event may wait that long to appear in a menu but a page should not pay them every time."""
    import time as _time

    now = _time.monotonic()
    kept = _CHOICES.get(store)
    if kept and now - kept[0] < CHOICES_TTL_S:
        return kept[1]
    out = _read_choices(store)
    _CHOICES[store] = (now, out)
    return out


def _read_choices(store: ReceiverStore) -> Choices:
    out = {}
    with store.reading() as db:
        for name, column in (("events", "event_id"), ("terminals", "kiosk_id"), ("topics", "topic_id")):
            out[name] = tuple(r[0] for r in db.execute(
                f"SELECT DISTINCT {column} FROM submissions WHERE {column} != '' ORDER BY {column} LIMIT 500"))
    return Choices(**out)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: str
    kiosk_id: str
    event_id: str
    delivered_by: str
    state: str
    received_at: str
    sha256: str
    data: dict[str, Any]
    blobs: dict[str, str]


def item(store: ReceiverStore, submission_id: str) -> Item | None:
    if not is_uuid4(submission_id):
        return None
    with store.reading() as db:
        row = db.execute("SELECT id, kind, kiosk_id, event_id, delivered_by, state, received_at, sha256, canonical "
                         "FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            return None
        blobs = dict(db.execute("SELECT role, sha256 FROM submission_blobs WHERE submission_id = ?",
                                (submission_id,)))
    data = json.loads(row[8]) if row[8] else {}
    return Item(*row[:8], data=data, blobs=blobs)


def blob_of(store: ReceiverStore, submission_id: str, role: str) -> bytes | None:
    if not is_uuid4(submission_id):
        return None
    with store.reading() as db:
        row = db.execute("SELECT sha256 FROM submission_blobs WHERE submission_id = ? AND role = ?",
                         (submission_id, role)).fetchone()
    return store.read_blob(row[0]) if row else None


def local_hours(by_utc_hour: list[tuple[str, int]], tz: tzinfo | None) -> dict[int, int]:
    """Counts per UTC hour (``2024-07-03T12``) as counts per local hour of the day, each hour
    with its own offset (an event's summer day and a winter export differ by one)."""
    hours: dict[int, int] = {}
    for stamp, n in by_utc_hour:
        try:
            when = datetime.strptime(stamp, "%Y-%m-%dT%H").replace(tzinfo=timezone.utc)
        except (TypeError, ValueError):
            continue
        hour = (when.astimezone(tz) if tz else when.astimezone()).hour
        hours[hour] = hours.get(hour, 0) + n
    return hours


def overview(store: ReceiverStore, f: Filters, tz: tzinfo | None) -> dict[str, list[tuple[str, int]]]:
    """Counts of the selection by kind, field of action, terminal, state and hour of the day (local)."""
    where, args = where_clause(f, tz)
    out: dict[str, list[tuple[str, int]]] = {}
    with store.reading() as db:
        for name, expr in (("kind", "s.kind"), ("topic", "s.topic_id"), ("terminal", "s.kiosk_id"),
                           ("state", "s.state")):
            out[name] = [(r[0], r[1]) for r in db.execute(
                f"SELECT {expr}, COUNT(*) FROM submissions AS s WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1",
                args)]
        by_utc_hour = db.execute(
            f"SELECT substr(s.created_at, 1, 13), COUNT(*) FROM submissions AS s WHERE {where} GROUP BY 1",
            args).fetchall()
    hours = local_hours(by_utc_hour, tz)
    out["hour"] = [(f"{h:02d}", hours.get(h, 0)) for h in range(24)]
    return out


def with_filters(f: Filters, **changes: str) -> Filters:
    return replace(f, **changes)
