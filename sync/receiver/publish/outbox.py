"""The publication outbox: each approved contribution, delivered exactly once per connector.

A contribution approved by staff (``Moderation.on_decision``), or on arrival where the
receiver's config says an event needs no review, gets one row per configured connector in
the ``outbox`` table (migration ``202_outbox``), in state ``pending``, with an idempotency key
fixed for the row's life. :meth:`Outbox.run_once` claims the rows that are due
(``pending`` -> ``sending``, committed before the platform is called), hands each to its
connector, and records what came back:

- ``published`` with the platform's id and URL (the status page links to it);
- ``needs_editing``: the platform's rules refuse the contribution as it is (a Decidim title
  under 15 characters): staff edit or skip it; nothing is cut silently;
- ``pending`` again, after a backoff with jitter, when the platform was unreachable,
  slow or answered 5xx/429; ``failed`` after ``max_attempts`` or on a permanent refusal.

Staff can ``retry`` a failed or needs-editing row and ``skip`` any that is not published.
A receiver killed mid-run finds its ``sending`` rows at the next start (:meth:`recover`) and
sends them again with the same idempotency key, so a platform that took the first attempt
recognises the second: a connector that cannot rely on that looks the item up first
(``Connector.find``). Withholding or deleting a contribution skips its unpublished rows.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.core.model import utc_now
from sync.receiver.storage import EditRecord, ReceiverStore

log = logging.getLogger("sync.receiver.outbox")

OUTBOX_STATES = ("pending", "sending", "published", "failed", "needs_editing", "skipped")
RETRYABLE = ("failed", "needs_editing")
SKIPPABLE = ("pending", "failed", "needs_editing")
DEFAULT_MAX_ATTEMPTS = 8
BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 3600.0


@dataclass(frozen=True, slots=True)
class PublishItem:
    """What a connector is handed: the contribution as stored, and the row's key."""

    submission_id: str
    idempotency_key: str
    data: dict[str, Any]
    """The submission's wire form (``Submission.to_wire``), as the receiver stored it."""
    drawing_url: str | None = None
    attempts: int = 0
    """Attempts before this one (>0: the platform may have taken an earlier one)."""
    edits: dict[str, str] = field(default_factory=dict)
    """What staff changed for this connector (``title``, ``body``) when it needed editing."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a connector reports for one item."""

    state: str  # published | retry | needs_editing | failed
    message: str = ""
    remote_id: str | None = None
    remote_url: str | None = None
    retry_after_s: float | None = None

    @classmethod
    def published(cls, remote_id: str | None = None, remote_url: str | None = None) -> Outcome:
        return cls("published", remote_id=remote_id, remote_url=remote_url)

    @classmethod
    def retry(cls, message: str, retry_after_s: float | None = None) -> Outcome:
        return cls("retry", message, retry_after_s=retry_after_s)

    @classmethod
    def needs_editing(cls, message: str) -> Outcome:
        return cls("needs_editing", message)

    @classmethod
    def failed(cls, message: str) -> Outcome:
        return cls("failed", message)


class Connector(Protocol):
    """One way to publish (a module in ``sync/receiver/publish/connectors/``)."""

    name: str

    def publish(self, item: PublishItem) -> Outcome:
        """Deliver *item*; never raise for the platform's trouble (return ``retry``/``failed``)."""
        ...


@dataclass(frozen=True, slots=True)
class OutboxItem:
    submission_id: str
    connector: str
    state: str
    idempotency_key: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    remote_id: str | None
    remote_url: str | None
    created_at: str
    updated_at: str
    edits: str | None = None


@dataclass(frozen=True, slots=True)
class EditRules:
    """What a platform accepts as title and text (None: no limit); staff's edit page checks them."""

    title_min: int = 1
    title_max: int = 200
    body_min: int = 1
    body_max: int | None = None


def edit_problems(rules: EditRules, title: str, body: str) -> list[tuple[str, dict[str, int]]]:
    """What is wrong with staff's title and text for a platform: (catalogue key, values) pairs.
    An empty field keeps the visitor's own; both empty is a problem. Pure."""
    title, body = title.strip(), body.strip()
    if not title and not body:
        return [("outbox.edit.error.nothing", {})]
    out: list[tuple[str, dict[str, int]]] = []
    if title and not rules.title_min <= len(title) <= rules.title_max:
        out.append(("outbox.edit.error.title_length", {"n": len(title), "min": rules.title_min,
                                                       "max": rules.title_max}))
    if body and len(body) < rules.body_min:
        out.append(("outbox.edit.error.body_short", {"n": len(body), "min": rules.body_min}))
    if body and rules.body_max is not None and len(body) > rules.body_max:
        out.append(("outbox.edit.error.body_long", {"n": len(body), "max": rules.body_max}))
    return out


_COLUMNS = ("submission_id, connector, state, idempotency_key, attempts, next_attempt_at, last_error, "
            "remote_id, remote_url, created_at, updated_at, edits")


def backoff_delay(attempts: int, rng: Callable[[], float] = random.random, *,
                  base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S) -> float:
    """Seconds before attempt ``attempts + 1``: "equal jitter", uniform in [d/2, d] for
    d = min(cap, base * 2^(n-1)), so items that failed together do not come back together, and
    a retry never comes before a platform that was merely slow has finished the first attempt
    (d/2 >= 15 s, beyond the connectors' read timeout in most cases; Decidim's connector also
    looks for the first attempt's proposal before it sends again)."""
    ceiling = min(cap_s, base_s * 2 ** max(0, attempts - 1))
    return ceiling / 2 + rng() * ceiling / 2


@dataclass
class RunReport:
    published: int = 0
    retried: int = 0
    failed: int = 0
    needs_editing: int = 0
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (submission, connector, state)


class Outbox:
    """The outbox over the receiver's store.

    Args:
        store: the receiver's store (the ``outbox`` table lives in its file).
        connectors: the configured connectors, by their ``name``.
        drawing_url: the public URL of a drawing's PNG by digest, or None.
    """

    def __init__(self, store: ReceiverStore, connectors: Sequence[Connector], *,
                 drawing_url: Callable[[str], str | None] = lambda _digest: None,
                 clock: Callable[[], float] = time.time, rng: Callable[[], float] = random.random,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> None:
        self.store = store
        self.connectors = {c.name: c for c in connectors}
        self.drawing_url = drawing_url
        self.clock = clock
        self.rng = rng
        self.max_attempts = max_attempts

    # ------------------------------------------------------------ entering
    def enqueue(self, submission_ids: Sequence[str]) -> int:
        """A ``pending`` row per connector for each id that has none yet; returns how many were made."""
        now, made = utc_now(), 0
        with self.store.transaction() as db:
            for sid in submission_ids:
                for name in self.connectors:
                    cur = db.execute(
                        "INSERT OR IGNORE INTO outbox (submission_id, connector, state, idempotency_key, attempts, "
                        "next_attempt_at, created_at, updated_at) VALUES (?, ?, 'pending', ?, 0, 0, ?, ?)",
                        (sid, name, str(uuid.uuid4()), now, now))
                    made += cur.rowcount
        return made

    def on_decision(self, decision: Any) -> None:
        """``Moderation.on_decision`` listener: approved enters, withheld or deleted leaves."""
        if decision.state == "approved":
            self.enqueue([decision.submission_id])
        elif decision.state in ("withheld", "deleted", "received"):
            self._set_where(decision.submission_id, None, SKIPPABLE, "skipped",
                            f"not published: staff set it to {decision.state}")

    # ------------------------------------------------------------- running
    def recover(self) -> int:
        """Rows left ``sending`` by a crash go back to ``pending`` (sent again with the same key).

        The interrupted attempt counts: it may have reached the platform, and a connector that
        has no idempotency key (Decidim) looks for its result only when ``attempts`` says so."""
        with self.store.transaction() as db:
            return db.execute("UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = 0, "
                              "last_error = 'interrupted (the receiver stopped during the attempt)', updated_at = ? "
                              "WHERE state = 'sending'", (utc_now(),)).rowcount

    def _claim(self, limit: int) -> list[OutboxItem]:
        now = self.clock()
        with self.store.transaction() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
                              "ORDER BY next_attempt_at, created_at, submission_id LIMIT ?", (now, limit)).fetchall()
            rows = [r for r in rows if r[1] in self.connectors
                    and not getattr(self.connectors[r[1]], "manual", False)]
            stamp = utc_now()
            for r in rows:
                db.execute("UPDATE outbox SET state = 'sending', updated_at = ? WHERE submission_id = ? "
                           "AND connector = ?", (stamp, r[0], r[1]))
        return [OutboxItem(*r[:2], "sending", *r[3:10], stamp, r[11]) for r in rows]

    def run_once(self, limit: int = 50, *, after_each: Callable[[OutboxItem, Outcome], None] | None = None) -> RunReport:
        """Deliver what is due now, one item after the other; returns what happened."""
        report = RunReport()
        for item in self._claim(limit):
            outcome = self._deliver(item)
            self._record(item, outcome, report)
            if after_each is not None:
                after_each(item, outcome)
        return report

    def _deliver(self, item: OutboxItem) -> Outcome:
        stored = self.store.get(item.submission_id)
        if stored is None or not stored.canonical:
            return Outcome.failed("the contribution is no longer stored (deleted)")
        data = json.loads(stored.canonical)
        png = stored.blob_roles.get("png")
        publish_item = PublishItem(item.submission_id, item.idempotency_key, data,
                                   self.drawing_url(png) if png else None, item.attempts,
                                   json.loads(item.edits) if item.edits else {})
        try:
            return self.connectors[item.connector].publish(publish_item)
        except Exception as exc:  # a connector's bug: the item waits for staff, the run goes on
            log.exception("connector %s failed on %s", item.connector, item.submission_id)
            return Outcome.failed(f"the connector failed: {type(exc).__name__}")

    def _record(self, item: OutboxItem, outcome: Outcome, report: RunReport) -> None:
        attempts = item.attempts + 1
        next_at, state = 0.0, outcome.state
        if state == "retry":
            if attempts >= self.max_attempts:
                state = "failed"
            else:
                state = "pending"
                delay = backoff_delay(attempts, self.rng)
                if outcome.retry_after_s is not None:
                    delay = max(delay, min(outcome.retry_after_s, BACKOFF_CAP_S))
                next_at = self.clock() + delay
        with self.store.transaction() as db:
            db.execute("UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                       "remote_id = coalesce(?, remote_id), remote_url = coalesce(?, remote_url), updated_at = ? "
                       "WHERE submission_id = ? AND connector = ? AND state = 'sending'",
                       (state, attempts, next_at, outcome.message or None, outcome.remote_id, outcome.remote_url,
                        utc_now(), item.submission_id, item.connector))
        report.outcomes.append((item.submission_id, item.connector, state))
        if state == "published":
            report.published += 1
        elif state == "pending":
            report.retried += 1
        elif state == "needs_editing":
            report.needs_editing += 1
        else:
            report.failed += 1
        log.info("outbox: %s via %s: %s (attempt %d)", item.submission_id, item.connector, state, attempts)

    # --------------------------------------------------------------- staff
    def retry(self, submission_id: str, connector: str) -> bool:
        """A failed or needs-editing row goes back to ``pending``, due now, its attempts reset."""
        return self._set_where(submission_id, connector, RETRYABLE, "pending", None, reset=True) > 0

    def edit(self, submission_id: str, connector: str, *, actor: str = "staff", **edits: str) -> bool:
        """Staff's version for one connector (``title=``, ``body=``; an empty one is dropped) of a
        row that needs editing or failed: kept beside the visitor's text (never replacing it),
        sent from now on; the row goes back to ``pending``. The audit log (``outbox_edits``)
        records who and when, and the lengths of title and text before and after."""
        edits = {k: v.strip() for k, v in edits.items() if k in ("title", "body") and v and v.strip()}
        with self.store.transaction() as db:
            row = db.execute("SELECT o.edits, s.canonical FROM outbox o JOIN submissions s ON s.id = o.submission_id "
                             "WHERE o.submission_id = ? AND o.connector = ? AND o.state IN (?, ?)",
                             (submission_id, connector, *RETRYABLE)).fetchone()
            if row is None:
                return False
            before = json.loads(row[0]) if row[0] else {}
            data = json.loads(row[1]) if row[1] else {}

            def length(which: dict[str, str], key: str, visitor: str) -> int:
                return len(which.get(key) or (data.get(visitor) or "").strip())

            now = utc_now()
            db.execute("UPDATE outbox SET edits = ?, state = 'pending', attempts = 0, next_attempt_at = 0, "
                       "last_error = NULL, updated_at = ? WHERE submission_id = ? AND connector = ?",
                       (json.dumps(edits, ensure_ascii=False) if edits else None, now, submission_id, connector))
            db.execute("INSERT INTO outbox_edits (submission_id, connector, actor, edited_at, title_before, "
                       "title_after, body_before, body_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (submission_id, connector, actor, now, length(before, "title", "title"),
                        length(edits, "title", "title"), length(before, "body", "text"), length(edits, "body", "text")))
        return True

    def edit_history(self, submission_id: str) -> list[EditRecord]:
        """Staff's edits of *submission_id* for the platforms, oldest first."""
        return self.store.outbox_edits(submission_id)

    def skip(self, submission_id: str, connector: str, why: str = "skipped by staff") -> bool:
        return self._set_where(submission_id, connector, SKIPPABLE, "skipped", why) > 0

    def record_manual(self, submission_id: str, connector: str, remote_id: str, remote_url: str | None) -> bool:
        """Staff entered it on the platform by hand (CONSUL's management interface): published."""
        with self.store.transaction() as db:
            return db.execute(
                "UPDATE outbox SET state = 'published', remote_id = ?, remote_url = ?, last_error = NULL, "
                "updated_at = ? WHERE submission_id = ? AND connector = ? AND state != 'published'",
                (remote_id, remote_url, utc_now(), submission_id, connector)).rowcount > 0

    def _set_where(self, submission_id: str, connector: str | None, from_states: Sequence[str], state: str,
                   message: str | None, *, reset: bool = False) -> int:
        marks = ",".join("?" * len(from_states))
        sql = (f"UPDATE outbox SET state = ?, last_error = ?, updated_at = ?"
               f"{', attempts = 0, next_attempt_at = 0' if reset else ''} "
               f"WHERE submission_id = ? AND state IN ({marks})")
        params: list[Any] = [state, message, utc_now(), submission_id, *from_states]
        if connector is not None:
            sql += " AND connector = ?"
            params.append(connector)
        with self.store.transaction() as db:
            return db.execute(sql, params).rowcount

    # ------------------------------------------------------------- reading
    def items(self, states: Sequence[str] | None = None, limit: int = 500) -> list[OutboxItem]:
        sql = f"SELECT {_COLUMNS} FROM outbox"
        params: list[Any] = []
        if states:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
            params += list(states)
        sql += " ORDER BY updated_at DESC, submission_id, connector LIMIT ?"
        with self.store.reading() as db:
            return [OutboxItem(*r) for r in db.execute(sql, [*params, limit])]

    def of(self, submission_id: str) -> list[OutboxItem]:
        with self.store.reading() as db:
            return [OutboxItem(*r) for r in db.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE submission_id = ? ORDER BY connector", (submission_id,))]
