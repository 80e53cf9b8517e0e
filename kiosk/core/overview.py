"""What the staff overview shows, computed without Qt: counts, hours, sync, disk, notices.

:func:`load_overview` runs a handful of queries (the benchmark keeps them under
100 ms over 100,000 submissions); everything after that is pure and tested
on plain values: :func:`per_hour_of_day`, :func:`timeline`, :func:`plain_reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from kiosk.core.storage import Store

HOUR_SQL = "SELECT hour, kind, n FROM submission_hours WHERE n > 0 ORDER BY hour, kind"
"""Per UTC hour and kind, stored and purged (not deleted); a table kept by triggers (schema v6)."""
REASON_SQL = "SELECT status, reason, n FROM sync_reason_counts WHERE n > 0 ORDER BY n DESC, status, reason"
"""Failed and withheld rows per reason; a table kept by triggers (schema v6)."""


@dataclass(frozen=True, slots=True)
class HourBucket:
    hour_utc: str  # "2022-07-03T10"
    kind: str
    n: int


@dataclass(frozen=True, slots=True)
class Overview:
    total: int
    ideas: int
    drawings: int
    samples: int
    by_topic: Mapping[str, int]
    by_state: Mapping[str, int]
    hours: tuple[HourBucket, ...]
    deleted: int
    purged: int
    last_sent_at: str | None
    failures: tuple[tuple[str, int], ...]   # (reason, how many)
    withheld: tuple[tuple[str, int], ...]   # (reason, how many)
    free_bytes: int
    notices: tuple[Any, ...] = field(default=())


def load_overview(store: Store) -> Overview:
    """Everything the overview screen shows, read from ``store`` in a few queries.

    Each reads a handful of rows (trigger-kept counts, an index) however many
    submissions there are, except the two ``count(*)`` over the staff tables,
    which grow only with what staff deleted or purged.
    """
    stats = store.stats()
    hours = [HourBucket(h, k, n) for h, k, n in store.query(HOUR_SQL)]
    deleted = store.query("SELECT count(*) FROM staff_tombstones")[0][0]
    purged = store.query("SELECT count(*) FROM staff_purged")[0][0]
    last_sent = store.query("SELECT max(updated_at) FROM sync_state WHERE status = 'sent'")[0][0]
    by_reason = store.query(REASON_SQL)
    return Overview(
        total=stats.total, ideas=stats.by_kind.get("idea", 0), drawings=stats.by_kind.get("drawing", 0),
        samples=stats.samples, by_topic=dict(stats.by_topic), by_state=dict(stats.by_state),
        hours=tuple(hours), deleted=deleted, purged=purged, last_sent_at=last_sent,
        failures=tuple((plain_reason(r), n) for s, r, n in by_reason if s == "failed"),
        withheld=tuple((r or "-", n) for s, r, n in by_reason if s == "withheld"),
        free_bytes=store.free_bytes(), notices=tuple(store.notices))


def _local_hour(hour_utc: str, tz: tzinfo | None) -> datetime:
    when = datetime.strptime(hour_utc, "%Y-%m-%dT%H").replace(tzinfo=timezone.utc)
    return when.astimezone(tz) if tz is not None else when.astimezone()


def per_hour_of_day(hours: Iterable[HourBucket], tz: tzinfo | None = None) -> list[dict[str, int]]:
    """24 entries (local hour 0..23), each ``{"idea": n, "drawing": m}``, summed over all days."""
    out = [{"idea": 0, "drawing": 0} for _ in range(24)]
    for b in hours:
        slot = out[_local_hour(b.hour_utc, tz).hour]
        slot[b.kind] = slot.get(b.kind, 0) + b.n
    return out


def timeline(hours: Iterable[HourBucket], tz: tzinfo | None = None,
             max_points: int = 96) -> list[tuple[datetime, int]]:
    """Contributions per local hour from the first to the last, gaps filled with 0.

    Longer than ``max_points`` hours (a kiosk lent to several events): per day instead.
    """
    totals: dict[datetime, int] = {}
    for b in hours:
        key = _local_hour(b.hour_utc, tz)
        totals[key] = totals.get(key, 0) + b.n
    if not totals:
        return []
    step = timedelta(hours=1)
    if max(totals) - min(totals) > step * max_points:
        days: dict[datetime, int] = {}
        for t, n in totals.items():
            day = t.replace(hour=0)
            days[day] = days.get(day, 0) + n
        totals, step = days, timedelta(days=1)
    start, end = min(totals), max(totals)
    out, t = [], start
    while t <= end and len(out) < 10 * max_points:
        out.append((t, totals.get(t, 0)))
        t += step
    return out


PLAIN_REASONS = (
    ("401", "The receiver did not accept this kiosk's token; ask IT for a new one"),
    ("403", "The receiver did not accept this kiosk's token; ask IT for a new one"),
    ("409", "The receiver already has a different item with this id"),
    ("413", "Too large for the receiver"),
    ("422", "The receiver refused the content"),
)


def plain_reason(error: str | None) -> str:
    """A failure reason as staff can read it; the server's own words are kept after a colon."""
    if not error:
        return "No reason was recorded."
    for code, words in PLAIN_REASONS:
        if error.startswith(code):
            detail = error[len(code):].lstrip(": ").strip()
            return f"{words} ({detail})." if detail and code not in ("401", "403") else f"{words}."
    return error
