"""The publishing thread of the receiver: approves where no review is asked for, fills the
outbox, and delivers what is due.

Each pass, in this order:
1. contributions of an event in ``auto_approve_events`` that nobody decided yet are approved
   (``Moderation.decide`` by the actor ``auto``: in the audit trail like a person's decision);
2. every approved contribution that lacks an outbox row for a configured connector gets one
   (the ``on_decision`` listener does so at once; this catches a decision whose listener never
   ran because the process died right after its commit, or one made by another process);
3. :meth:`Outbox.run_once` delivers what is due.
At start, rows left ``sending`` by a killed receiver go back to ``pending`` (:meth:`Outbox.recover`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sync.receiver.moderation import Moderation
from sync.receiver.publish.outbox import Outbox, RunReport

log = logging.getLogger("sync.receiver.outbox")


class PublishWorker:
    def __init__(self, outbox: Outbox, moderation: Moderation, *, auto_approve_events: Sequence[str] = (),
                 interval_s: float = 10.0) -> None:
        self.outbox = outbox
        self.moderation = moderation
        self.auto_approve_events = tuple(auto_approve_events)
        self.interval_s = interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        self._wake.set()

    def sweep(self) -> None:
        store = self.outbox.store
        if self.auto_approve_events:
            marks = ",".join("?" * len(self.auto_approve_events))
            with store.reading() as db:
                ids = [r[0] for r in db.execute(
                    f"SELECT id FROM submissions WHERE state = 'received' AND event_id IN ({marks}) "
                    "AND NOT EXISTS (SELECT 1 FROM moderation_log m WHERE m.submission_id = submissions.id) "
                    "ORDER BY received_at LIMIT 500", self.auto_approve_events)]
            if ids:
                self.moderation.decide(ids, "approved", actor="auto")
        names = list(self.outbox.connectors)
        if names:
            with store.reading() as db:
                missing = [r[0] for r in db.execute(
                    f"SELECT id FROM submissions s WHERE state = 'approved' AND (SELECT count(*) FROM outbox o "
                    f"WHERE o.submission_id = s.id AND o.connector IN ({','.join('?' * len(names))})) < ? "
                    "ORDER BY received_at LIMIT 500", (*names, len(names)))]
            if missing:
                self.outbox.enqueue(missing)

    def pass_once(self) -> RunReport:
        self.sweep()
        return self.outbox.run_once()

    def start(self) -> None:
        self.outbox.recover()
        self._thread = threading.Thread(target=self._run, name="publisher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.pass_once()
                busy = report.published + report.retried + report.failed + report.needs_editing
            except Exception:  # a bug or a locked file: logged, and the next pass tries again
                log.exception("publication pass failed")
                busy = 0
            if not busy:
                self._wake.wait(self.interval_s)
                self._wake.clear()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
