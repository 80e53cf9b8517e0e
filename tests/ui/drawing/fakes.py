"""A minimal stand-in for kiosk.storage.Store (not on main yet).

TODO(#4): when kiosk/storage.py is on main, the kill test uses the real Store
(it already tries to import it first); this stand-in then only serves the
screen tests that need a store that can fail on demand.
"""

from __future__ import annotations

import threading

from kiosk.model import Submission


class DiskFullError(Exception):
    """Named like kiosk.storage.DiskFullError, which the saver recognises by name."""


class FakeStore:
    def __init__(self, fail: Exception | None = None) -> None:
        self.subs: dict[str, Submission] = {}
        self.notices: list[tuple[str, str, str | None]] = []
        self.fail = fail
        self.threads: set[str] = set()
        self.lock = threading.Lock()

    def add(self, sub: Submission) -> None:
        self.threads.add(threading.current_thread().name)
        if self.fail is not None:
            raise self.fail
        with self.lock:
            self.subs.setdefault(sub.id, sub)

    def get(self, submission_id: str) -> Submission | None:
        return self.subs.get(submission_id)

    def add_notice(self, kind: str, message: str, path: str | None = None) -> None:
        self.notices.append((kind, message, path))

    def close(self) -> None:
        pass
