"""The background sync worker: a thread that owns its own store connection.

It wakes when a submission is saved (:meth:`SyncWorker.wake`), when staff
press "sync now" (:meth:`SyncWorker.sync_now`), and on a timer: the backoff
delay while something is pending and the receiver cannot be reached, the
configured interval otherwise (a cheap health check that keeps the status
honest). Callers never block: ``wake`` and ``sync_now`` only set an event.

Status goes out through a plain callback, ``on_status(SyncStatus)``, called on
the worker thread and only when something changed. Two optional callbacks, also
on the worker thread, serve staff "sync now": ``on_progress(done, total)``
during a pass and ``on_pass(report, forced)`` after each one. The Qt adapter
(:mod:`ui.common.sync_bridge`) turns all three into signals (queued across threads).
"""

from __future__ import annotations

import logging
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.core.model import utc_now
from sync.client import SyncClient, SyncReport
from sync.protocol import BACKOFF_CAP_S, Outcome, next_delay

log = logging.getLogger("sync.worker")

STATES = ("online", "offline", "syncing", "error")

AUTH_RETRY_S = 300.0
"""After the receiver refused the token, try again this rarely unless staff press sync now."""

PROGRESS_EVERY_S = 0.25
HEARTBEAT_EVERY_S = 180.0
"""A terminal that is online reports at least this often (the receiver's terminals page)."""


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the staff panel and the attract-screen indicator show.

    Attributes:
        state: online (last contact worked), offline (receiver unreachable, will retry),
            syncing (a pass with pending submissions is running), error (staff must act:
            wrong token, wrong endpoint, storage trouble).
        pending / sent / failed / withheld: counts from the kiosk's store.
        last_success_at: RFC 3339 UTC of the last pass that reached the receiver, or None.
        last_error: the last problem in plain words, or None.
        next_try_in_s: seconds until the next automatic try when one is scheduled.
    """

    state: str = "offline"
    pending: int = 0
    sent: int = 0
    failed: int = 0
    withheld: int = 0
    last_success_at: str | None = None
    last_error: str | None = None
    next_try_in_s: float | None = None


class SyncWorker:
    """Runs :class:`SyncClient` passes on a background thread.

    Args:
        open_store: opens the worker's own :class:`kiosk.core.storage.Store`; called on the
            worker thread (one connection per thread).
        make_client: builds the client over that store.
        interval_s: idle check interval.
        on_status: called with each new :class:`SyncStatus` (on the worker thread).
        on_pass: called after every pass with its :class:`SyncReport` (None when the pass
            crashed) and whether staff forced it with :meth:`sync_now` (worker thread).
        on_progress: called with (done, total) during a pass with pending submissions,
            at most every :data:`PROGRESS_EVERY_S` and once at its end (worker thread).
        rand: jitter source (tests pass a fixed one).
        heartbeat_every_s: while online, a heartbeat (``POST /api/v1/heartbeat``) at least this
            often; one also follows every pass that delivered something.
        disk_path: where free disk is measured for the heartbeat (the data dir); None: not sent.
    """

    def __init__(self, open_store: Callable[[], Any], make_client: Callable[[Any], SyncClient], *,
                 interval_s: float = 30.0, on_status: Callable[[SyncStatus], None] | None = None,
                 on_pass: Callable[[SyncReport | None, bool], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None,
                 rand: Callable[[], float] = random.random, backoff_base_s: float = 2.0,
                 heartbeat_every_s: float = HEARTBEAT_EVERY_S, disk_path: Path | None = None) -> None:
        self.heartbeat_every_s = heartbeat_every_s
        self._disk_path = disk_path
        self._last_beat = float("-inf")
        self._open_store = open_store
        self._make_client = make_client
        self.interval_s = max(0.05, interval_s)
        self._on_status = on_status
        self._on_pass = on_pass
        self._on_progress = on_progress
        self._rand = rand
        self._backoff_base_s = backoff_base_s
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._forced = False
        self._stopping = False
        self._status = SyncStatus()
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)

    @classmethod
    def from_config(cls, config: Any, data_dir: Path, *, min_free_bytes: int = 0,
                    **callbacks: Any) -> SyncWorker:
        """Worker for a :class:`kiosk.core.config.SyncConfig` and the kiosk's data dir.

        ``callbacks``: ``on_status``, ``on_pass``, ``on_progress`` as in the constructor.
        """
        from kiosk.core.storage import Store

        return cls(lambda: Store.open_in(data_dir, min_free_bytes=min_free_bytes),
                   lambda store: SyncClient.from_config(store, config, data_dir),
                   interval_s=config.interval_s, disk_path=data_dir, **callbacks)

    # ------------------------------------------------------------ public API
    def start(self) -> SyncWorker:
        self._thread.start()
        return self

    def wake(self) -> None:
        """A submission was saved: sync soon (unless backing off after a failure). Never blocks."""
        self._event.set()

    def sync_now(self) -> None:
        """Staff asked: try right away, even during a backoff or after an auth error. Never blocks."""
        with self._lock:
            self._forced = True
        self._event.set()

    def stop(self, timeout: float | None = 30.0) -> bool:
        """Ask the worker to finish (after the call in flight) and join. True when it ended."""
        self._stopping = True
        self._event.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    # ------------------------------------------------------------ the thread
    def _publish(self, **changes: Any) -> None:
        with self._lock:
            new = replace(self._status, **changes)
            changed = new != self._status
            self._status = new
        if changed and self._on_status is not None:
            try:
                self._on_status(new)
            except Exception:  # noqa: BLE001 - an observer's bug must not stop delivery
                log.exception("sync status observer failed")

    def _counts(self, store: Any) -> dict[str, int]:
        try:
            by_state = store.stats().by_state
        except Exception:  # noqa: BLE001 - counts are for display
            log.exception("could not count sync states")
            return {}
        return {k: int(by_state.get(k, 0)) for k in ("pending", "sent", "failed", "withheld")}

    def _run(self) -> None:
        store = client = None
        try:
            while not self._stopping and store is None:
                try:
                    store = self._open_store()
                    client = self._make_client(store)
                except Exception as exc:  # noqa: BLE001 - storage/config trouble: tell staff, retry
                    log.exception("sync worker cannot start")
                    if store is not None:
                        store.close()
                        store = None
                    self._publish(state="error", last_error=f"sync cannot start: {exc}")
                    self._event.wait(self.interval_s)
                    self._event.clear()
            if store is not None and client is not None:
                self._publish(**self._counts(store))
                self._loop(store, client)
        finally:
            if client is not None:
                client.close()
            if store is not None:
                store.close()

    def _loop(self, store: Any, client: SyncClient) -> None:
        failures = 0
        next_at = time.monotonic()          # first pass right away
        honour_wake = True                  # False while backing off or after an auth error
        while not self._stopping:
            wait = max(0.0, next_at - time.monotonic())
            self._event.wait(wait if wait > 0 else 0)
            self._event.clear()
            if self._stopping:
                break
            with self._lock:
                forced, self._forced = self._forced, False
            if not forced and time.monotonic() < next_at and not honour_wake:
                continue
            report = self._pass(store, client)
            self._notify(self._on_pass, report, forced)
            if report is not None and report.stopped_by is None and (
                    report.done or time.monotonic() - self._last_beat >= self.heartbeat_every_s):
                self._heartbeat(store, client, "pass" if report.done else "online")
            if report is None:                       # a bug or storage trouble, already logged
                failures += 1
                delay, honour_wake = self._backoff(failures, None), False
            elif report.stopped_by is None:
                failures = 0
                honour_wake = True
                # More arrived during the pass: go again now (unless nothing moved at all).
                delay = 0.0 if report.remaining and report.done else self.interval_s
            elif report.stopped_by is Outcome.AUTH:
                failures += 1
                delay, honour_wake = AUTH_RETRY_S, False
            else:
                failures += 1
                delay, honour_wake = self._backoff(failures, report.retry_after), False
            next_at = time.monotonic() + delay
            if delay and report is not None and report.remaining:
                self._publish(next_try_in_s=round(delay, 1))

    def heartbeat_body(self, store: Any, reason: str) -> dict[str, Any]:
        """What this terminal reports (docs/sync-protocol.md, "Heartbeat")."""
        import kiosk

        counts = self._counts(store)
        beat: dict[str, Any] = {"sent_at": utc_now(), "app_version": kiosk.__version__,
                                "pending": counts.get("pending"), "failed": counts.get("failed"), "reason": reason}
        if self._disk_path is not None:
            try:
                beat["free_disk_bytes"] = shutil.disk_usage(self._disk_path).free
            except OSError:
                pass
        try:
            rows = store.query("SELECT MAX(created_at) FROM submissions")
            last = rows[0][0] if rows else None
            if last:
                beat["last_activity"] = last[:19] + "Z"
        except Exception:  # noqa: BLE001 - a detail of a report, never a reason to fail
            log.debug("no last activity for the heartbeat", exc_info=True)
        return beat

    def _heartbeat(self, store: Any, client: SyncClient, reason: str) -> None:
        self._last_beat = time.monotonic()
        try:
            result = client.heartbeat(self.heartbeat_body(store, reason))
        except Exception:  # noqa: BLE001 - best effort: delivery goes on without it
            log.exception("heartbeat failed")
            return
        if result.outcome is not Outcome.OK:
            log.info("heartbeat not taken: %s", result.reason)

    @staticmethod
    def _notify(callback: Callable[..., None] | None, *args: Any) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # noqa: BLE001 - an observer's bug must not stop delivery
            log.exception("sync observer failed")

    def _backoff(self, failures: int, retry_after: float | None) -> float:
        return next_delay(failures, retry_after, base=self._backoff_base_s,
                          cap=max(BACKOFF_CAP_S, self.interval_s), rand=self._rand)

    def _pass(self, store: Any, client: SyncClient) -> SyncReport | None:
        counts = self._counts(store)
        total = counts.get("pending", 0)
        if total:
            self._publish(state="syncing", next_try_in_s=None, **counts)
            self._notify(self._on_progress, 0, total)
        last = [time.monotonic()]

        def progress(report: SyncReport) -> None:
            if time.monotonic() - last[0] >= PROGRESS_EVERY_S:
                last[0] = time.monotonic()
                self._publish(**self._counts(store))
                self._notify(self._on_progress, report.done, max(total, report.done))

        try:
            report = client.sync_pending(should_stop=lambda: self._stopping, progress=progress)
        except Exception as exc:  # noqa: BLE001 - keep the thread alive; staff see the error
            log.exception("sync pass failed")
            self._publish(state="error", last_error=f"sync failed: {exc}", **self._counts(store))
            return None
        if total:
            self._notify(self._on_progress, report.done, max(total, report.done))
        counts = self._counts(store)
        if report.stopped_by is None:
            self._publish(state="online", last_success_at=utc_now(), last_error=None,
                          next_try_in_s=None, **counts)
        elif report.stopped_by is Outcome.TRANSIENT:
            self._publish(state="offline", last_error=report.error, **counts)
        else:
            self._publish(state="error", last_error=report.error, **counts)
        return report
