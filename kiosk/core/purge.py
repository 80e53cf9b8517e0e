"""Wiping a terminal after the event: remove what the receiver verifiably has.

:func:`plan_purge` sorts every held submission into *safe* (sent, with a
receipt whose digest matches the local content) and *at risk* (pending,
failed, withheld, or sent without a matching receipt). :func:`purge` removes
the safe ones; it refuses while anything is at risk unless ``confirm`` is the
exact phrase :func:`confirmation_phrase` names, which states how many
contributions would be lost. Then it runs ``VACUUM`` and truncates the WAL, so
the purged text is gone from the database file, not only marked.

What stays: counts per kind/topic/hour and every receipt (``staff_purged``),
tombstones, notices. No Qt here.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.drafts import DRAFTS_DIRNAME
from kiosk.core.model import accepted_digests, utc_now
from kiosk.core.storage import Store, delete_submission_rows

log = logging.getLogger("kiosk.purge")


class PurgeRefused(Exception):
    """Something would be lost and the confirmation phrase was not given (message says what)."""


@dataclass(frozen=True, slots=True)
class PurgePlan:
    safe: tuple[str, ...]
    at_risk: dict[str, int] = field(default_factory=dict)  # pending / failed / withheld / unverified -> n
    at_risk_ids: tuple[str, ...] = ()
    # Files set aside beside the database: a damaged database moved away at start
    # (it may hold contributions that were never synced) or an unreadable drawing
    # draft. Nothing reconciles them, so wiping the terminal must not pass them by.
    set_aside: tuple[str, ...] = ()

    @property
    def lost(self) -> int:
        return len(self.at_risk_ids) + len(self.set_aside)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    purged: int
    lost: int
    bytes_before: int
    bytes_after: int


def confirmation_phrase(lost: int) -> str:
    """What staff must type to purge although ``lost`` contributions were never verified delivered."""
    return f"LOSE {lost}"


def plan_purge(store: Store) -> PurgePlan:
    """Which submissions the receiver verifiably has (safe) and which would be lost."""
    states = store.query("SELECT submission_id, status, receipt FROM sync_state")
    safe: list[str] = []
    risk: dict[str, int] = {}
    risk_ids: list[str] = []
    for sid, status, receipt in states:
        verdict = status
        if status == "sent":
            verdict = "safe" if _verified(store, sid, receipt) else "unverified"
        if verdict == "safe":
            safe.append(sid)
        else:
            risk[verdict] = risk.get(verdict, 0) + 1
            risk_ids.append(sid)
    aside = set_aside_files(store)
    if aside:
        risk["set-aside files"] = len(aside)
    return PurgePlan(tuple(safe), risk, tuple(risk_ids), tuple(str(p) for p in aside))


def set_aside_files(store: Store) -> list[Path]:
    """Damaged databases moved aside and unreadable drafts in the store's data dir."""
    path = getattr(store, "path", None)
    if path is None:
        return []
    folder = Path(path).parent
    found = sorted(folder.glob(f"{Path(path).name}.corrupt-*"))
    found += sorted((folder / DRAFTS_DIRNAME).glob("*.unreadable.json"))
    return found


def _verified(store: Store, submission_id: str, receipt: str | None) -> bool:
    if not receipt:
        return False
    sub = store.get(submission_id)
    try:
        return sub is not None and json.loads(receipt).get("sha256") in accepted_digests(sub)
    except (ValueError, AttributeError):
        return False


def refusal(plan: PurgePlan) -> str:
    parts = ", ".join(f"{n} {what}" for what, n in sorted(plan.at_risk.items()))
    return (f"{plan.lost} contributions are not verified at the receiver ({parts}). Sync or reconcile first; "
            f"to purge anyway and lose them, confirm with: {confirmation_phrase(plan.lost)}")


def purge(store: Store, *, confirm: str | None = None, plan: PurgePlan | None = None) -> PurgeResult:
    """Remove verified submissions (and, confirmed, the at-risk ones); VACUUM the file.

    Raises:
        PurgeRefused: something would be lost and ``confirm`` is not the phrase.
    """
    plan = plan or plan_purge(store)
    if plan.lost and (confirm or "").strip() != confirmation_phrase(plan.lost):
        raise PurgeRefused(refusal(plan))
    before = _file_bytes(store)
    now = utc_now()
    safe = set(plan.safe)
    with store.transaction("could not purge") as conn:
        for sid in plan.safe + plan.at_risk_ids:
            _record_and_remove(conn, sid, sid in safe, now)
    vacuum(store)
    for name in plan.set_aside:
        try:
            os.remove(name)
        except FileNotFoundError:
            pass
    after = _file_bytes(store)
    log.info("purged %d submissions (%d of them not verified delivered); %d -> %d bytes",
             len(plan.safe) + plan.lost, plan.lost, before, after)
    return PurgeResult(len(plan.safe) + plan.lost, plan.lost, before, after)


def _record_and_remove(conn: sqlite3.Connection, sid: str, delivered: bool, now: str) -> None:
    # An upsert, not INSERT OR REPLACE: a replace would not run the delete trigger
    # that keeps the per-hour counts, and would count an item purged twice twice.
    conn.execute(
        "INSERT INTO staff_purged (submission_id, kind, topic_id, is_sample, created_key, sha256, "
        "receipt, delivered, purged_at) "
        "SELECT s.id, s.kind, s.topic_id, s.is_sample, s.created_key, "
        "coalesce(json_extract(st.receipt, '$.sha256'), ''), st.receipt, ?, ? "
        "FROM submissions AS s JOIN sync_state AS st ON st.submission_id = s.id WHERE s.id = ? "
        "ON CONFLICT (submission_id) DO UPDATE SET kind = excluded.kind, topic_id = excluded.topic_id, "
        "is_sample = excluded.is_sample, created_key = excluded.created_key, sha256 = excluded.sha256, "
        "receipt = excluded.receipt, delivered = excluded.delivered, purged_at = excluded.purged_at",
        (int(delivered), now, sid))
    delete_submission_rows(conn, sid)


def vacuum(store: Store) -> None:
    """Rewrite the file without free pages, and empty the WAL, so deleted text is really gone."""
    store.vacuum()


def _file_bytes(store: Store) -> int:
    path = getattr(store, "path", None)
    if path is None:
        return 0
    return sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal") if os.path.exists(f"{path}{s}"))


def receipts(store: Store) -> list[dict]:
    """The receipts kept for purged submissions."""
    return [json.loads(r[0]) for r in store.query(
        "SELECT receipt FROM staff_purged WHERE receipt IS NOT NULL ORDER BY purged_at")]
