"""Moderation at the receiver: approve for publication, withhold with a reason, delete with a tombstone.

The kiosk's vocabulary (``kiosk.core.moderation``), at the city's end. Every decision is
one row of an append-only log (who, when, what, why): the audit trail staff see on an
item. The current state also sits on the submission's row, so the browse page filters
by it with an index.

Deleting keeps a *tombstone*: the row stays with its id, digest, kind, kiosk and times
(a kiosk that delivers it again gets its old receipt, so exactly-once holds), but the
canonical JSON is emptied and the links to its blobs removed; a blob no other submission
uses is removed from disk after the commit. A deleted submission cannot be decided again.

Callers that must act on decisions (publishing, status pages) register with
:meth:`Moderation.on_decision`: called after the commit, once per decision.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.core.model import utc_now
from sync.protocol import is_uuid4
from sync.receiver.storage import ReceiverStore

log = logging.getLogger("sync.receiver.moderation")

STATES = ("received", "approved", "withheld", "deleted")
"""``received``: not decided yet (or sent back to undecided); the others are decisions."""
REASONS = ("insulting", "personal_data", "off_topic", "spam", "duplicate", "other")
"""Categories a withhold or delete needs (the staff app translates them)."""
NEEDS_REASON = frozenset({"withheld", "deleted"})
MAX_NOTE_CHARS = 1000
MAX_ACTOR_CHARS = 100
MAX_IDS = 10_000
"""At most this many submissions in one bulk decision (a page selection is far fewer)."""


@dataclass(frozen=True, slots=True)
class Decision:
    submission_id: str
    state: str
    reason: str | None
    note: str | None
    actor: str
    decided_at: str


class ModerationError(ValueError):
    """A decision that cannot be made as asked (message in plain words; nothing was changed)."""


def check_decision(state: str, reason: str | None, note: str | None, actor: str) -> tuple[str | None, str | None]:
    """The (reason, note) to store, or ModerationError. Pure: the rules of one decision."""
    if state not in STATES:
        raise ModerationError(f"unknown state {state!r}; one of {', '.join(STATES)}")
    if not isinstance(actor, str) or not actor.strip() or len(actor) > MAX_ACTOR_CHARS:
        raise ModerationError("a decision needs the staff account that makes it")
    if reason is not None and reason not in REASONS:
        raise ModerationError(f"unknown reason {reason!r}; one of {', '.join(REASONS)}")
    if state in NEEDS_REASON and reason is None:
        raise ModerationError(f"{state} needs a reason: one of {', '.join(REASONS)}")
    if note is not None:
        note = note.strip() or None
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise ModerationError(f"the note is longer than {MAX_NOTE_CHARS} characters")
    return reason, note


class Moderation:
    """Decisions over a :class:`ReceiverStore` (thread-safe: the store serialises them)."""

    def __init__(self, store: ReceiverStore) -> None:
        self._store = store
        self._callbacks: list[Callable[[Decision], None]] = []

    def on_decision(self, callback: Callable[[Decision], None]) -> None:
        """Call *callback* with each decision after it is committed (once per decision).

        A callback that raises is logged; the decision stands and the other callbacks run.
        """
        self._callbacks.append(callback)

    def decide(self, ids: Sequence[str], state: str, *, actor: str, reason: str | None = None,
               note: str | None = None) -> list[Decision]:
        """Record *state* for every submission in *ids*, in one transaction (all or none).

        Raises:
            ModerationError: an unknown state or reason, a missing reason for withheld/deleted,
                an id that is not a stored submission, or one already deleted.
        """
        reason, note = check_decision(state, reason, note, actor)
        if isinstance(ids, str):
            raise ModerationError("ids must be a list of submission ids, not one string")
        unique = list(dict.fromkeys(ids))
        if len(unique) > MAX_IDS:
            raise ModerationError(f"at most {MAX_IDS} submissions at once")
        for submission_id in unique:
            if not isinstance(submission_id, str) or not is_uuid4(submission_id):
                raise ModerationError(f"no submission {str(submission_id)[:80]!r}")
        if not unique:
            return []
        decided_at = utc_now()
        actor = actor.strip()
        orphans: set[str] = set()
        with self._store.transaction() as db:
            for submission_id in unique:
                row = db.execute("SELECT state FROM submissions WHERE id = ?", (submission_id,)).fetchone()
                if row is None:
                    raise ModerationError(f"no submission {submission_id}")
                if row[0] == "deleted":
                    raise ModerationError(f"submission {submission_id} is deleted; it cannot be decided again")
            for submission_id in unique:
                db.execute("INSERT INTO moderation_log (submission_id, state, reason, note, actor, decided_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (submission_id, state, reason, note, actor, decided_at))
                if state == "deleted":
                    orphans |= _tombstone(db, submission_id)
                else:
                    db.execute("UPDATE submissions SET state = ? WHERE id = ?", (state, submission_id))
            if orphans:
                still_used = {r[0] for r in db.execute(
                    f"SELECT DISTINCT sha256 FROM submission_blobs WHERE sha256 IN ({','.join('?' * len(orphans))})",
                    sorted(orphans))}
                orphans -= still_used
        for digest in orphans:
            with contextlib.suppress(OSError):
                self._store.blob_file(digest).unlink(missing_ok=True)
        decisions = [Decision(i, state, reason, note, actor, decided_at) for i in unique]
        log.info("%s: %d submission(s) %s%s", actor, len(unique), state, f" ({reason})" if reason else "")
        for decision in decisions:
            for callback in self._callbacks:
                try:
                    callback(decision)
                except Exception:  # a listener's bug must not undo or hide a committed decision
                    log.exception("a moderation listener failed on %s", decision.submission_id)
        return decisions

    def current(self, submission_id: str) -> Decision | None:
        """The latest decision on *submission_id*; None when it has none (state ``received``)."""
        with self._store.reading() as db:
            row = db.execute("SELECT submission_id, state, reason, note, actor, decided_at FROM moderation_log "
                             "WHERE submission_id = ? ORDER BY seq DESC LIMIT 1", (submission_id,)).fetchone()
        return Decision(*row) if row else None

    def history(self, submission_id: str) -> list[Decision]:
        """Every decision on *submission_id*, oldest first: the audit trail."""
        with self._store.reading() as db:
            rows = db.execute("SELECT submission_id, state, reason, note, actor, decided_at FROM moderation_log "
                              "WHERE submission_id = ? ORDER BY seq", (submission_id,)).fetchall()
        return [Decision(*r) for r in rows]


def _tombstone(db: sqlite3.Connection, submission_id: str) -> set[str]:
    """Empty the submission's payload and unlink its blobs; return the digests it used."""
    digests = {r[0] for r in db.execute("SELECT sha256 FROM submission_blobs WHERE submission_id = ?",
                                        (submission_id,))}
    db.execute("DELETE FROM submission_blobs WHERE submission_id = ?", (submission_id,))
    db.execute("UPDATE submissions SET state = 'deleted', canonical = X'' WHERE id = ?", (submission_id,))
    return digests
