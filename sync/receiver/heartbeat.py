"""Terminals' heartbeats: a small report on every sync pass and every few minutes while online.

``POST /api/v1/heartbeat`` (docs/sync-protocol.md): the terminal's app version, its pending and
failed counts, free disk, when a visitor last did something, and its clock. The receiver keeps
the latest one per terminal (by the token's kiosk, never the one a body names) and the clock
skew it saw: the terminal's ``sent_at`` minus the receiver's time on arrival. A terminal that
never sends one (an older version) still appears on the terminals page, from its deliveries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from kiosk.core.model import utc_now
from sync.receiver.auth import TOKENS_FILE, read_token_hashes
from sync.receiver.storage import ReceiverStore

MAX_BODY_BYTES = 4096
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")
_VERSION = re.compile(r"^[A-Za-z0-9.+_-]{1,40}$")
REASONS = ("pass", "online")


class HeartbeatError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _stamp(data: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _STAMP.match(value):
        raise HeartbeatError("must be a UTC time like 2026-07-03T14:05:00Z", name)
    return value


def _count(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise HeartbeatError("must be a whole number of at least 0", name)
    return value


def parse_heartbeat(data: Any, kiosk_id: str) -> dict[str, Any]:
    """The fields to keep from a heartbeat body, or HeartbeatError naming the field at fault."""
    if not isinstance(data, dict):
        raise HeartbeatError("must be a JSON object", "(body)")
    if data.get("kiosk_id") not in (None, kiosk_id):
        raise HeartbeatError(f"is not the kiosk of this token ({kiosk_id})", "kiosk_id")
    version = data.get("app_version")
    if version is not None and (not isinstance(version, str) or not _VERSION.match(version)):
        raise HeartbeatError("must be a version like 1.4.0", "app_version")
    reason = data.get("reason", "pass")
    if reason not in REASONS:
        raise HeartbeatError(f"must be one of {', '.join(REASONS)}", "reason")
    return {"sent_at": _stamp(data, "sent_at", required=True), "app_version": version,
            "pending": _count(data, "pending"), "failed": _count(data, "failed"),
            "free_disk_bytes": _count(data, "free_disk_bytes"),
            "last_activity": _stamp(data, "last_activity"), "reason": reason}


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def record_heartbeat(store: ReceiverStore, kiosk_id: str, beat: dict[str, Any], received_at: str | None = None) -> dict[str, Any]:
    """Keep *beat* as *kiosk_id*'s latest; return the answer (the receiver's time and the skew seen)."""
    received_at = received_at or utc_now()
    skew = round(_seconds(beat["sent_at"]) - _seconds(received_at), 3)
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO heartbeats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (kiosk_id, received_at, beat["sent_at"], skew, beat["app_version"], beat["pending"],
                    beat["failed"], beat["free_disk_bytes"], beat["last_activity"], beat["reason"]))
    return {"status": "ok", "received_at": received_at, "clock_skew_s": skew}


@dataclass(frozen=True, slots=True)
class TerminalRow:
    kiosk_id: str
    last_seen: str | None
    last_heartbeat: str | None
    last_delivery: str | None
    delivered: int
    pending: int | None
    failed: int | None
    free_disk_bytes: int | None
    app_version: str | None
    clock_skew_s: float | None
    last_activity: str | None
    quiet: bool
    skewed: bool


def terminal_rows(store: ReceiverStore, quiet_after_s: float, skew_limit_s: float,
                  now: str | None = None) -> list[TerminalRow]:
    """Every terminal that has a token, delivered something or sent a heartbeat."""
    with store.reading() as db:
        beats = {r[0]: r for r in db.execute(
            "SELECT kiosk_id, received_at, clock_skew_s, app_version, pending, failed, free_disk_bytes, "
            "last_activity FROM heartbeats")}
        deliveries = {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT delivered_by, COUNT(*), MAX(received_at) FROM submissions GROUP BY delivered_by")}
    known = set(read_token_hashes(store.data_dir / TOKENS_FILE)) | set(beats) | set(deliveries)
    now_s = _seconds(now or utc_now())
    rows = []
    for kiosk_id in sorted(known):
        beat = beats.get(kiosk_id)
        count, last_delivery = deliveries.get(kiosk_id, (0, None))
        seen = max([s for s in (beat[1] if beat else None, last_delivery) if s], default=None)
        skew = beat[2] if beat else None
        rows.append(TerminalRow(
            kiosk_id, seen, beat[1] if beat else None, last_delivery, count,
            beat[4] if beat else None, beat[5] if beat else None, beat[6] if beat else None,
            beat[3] if beat else None, skew, beat[7] if beat else None,
            quiet=seen is None or now_s - _seconds(seen) > quiet_after_s,
            skewed=skew is not None and abs(skew) > skew_limit_s))
    return rows


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
