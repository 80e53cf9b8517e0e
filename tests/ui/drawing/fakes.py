"""A store that can fail on demand and records which thread wrote, for the screen tests.

The kill test and the whole-app tests use the real kiosk.core.storage.Store.
"""

from __future__ import annotations

import threading

from kiosk.core.model import Submission


from kiosk.core.storage import DiskFullError  # noqa: F401 - the tests raise the real one


class FakeStore:
    def __init__(self, fail: Exception | None = None) -> None:
        self.subs: dict[str, Submission] = {}
        self.notices: list[tuple[str, str, str | None]] = []
        self.withheld: dict[str, str] = {}
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

    def withhold(self, submission_id: str, reason: str) -> None:
        self.withheld[submission_id] = reason

    def close(self) -> None:
        pass
