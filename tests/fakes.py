"""The one fake store of the suite: the shell's StoreLike interface, and ``add``/``get`` for the
drawing screen, with knobs (refuse new contributions, fail on add, which thread wrote).

Tests that hand something in and read it back use the real kiosk.core.storage.Store
(the ``store`` fixture); this stands in where a test needs the store to misbehave.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from kiosk.core.model import Submission
from kiosk.core.storage import DiskFullError  # noqa: F401 - tests raise the real one through it


@dataclass
class FakeStore:
    accepting: bool = True
    fail: Exception | None = None
    """Raised by :meth:`add` while set."""
    counts: dict[str, Any] = field(default_factory=dict)
    notices: list[Any] = field(default_factory=list)
    subs: dict[str, Submission] = field(default_factory=dict)
    withheld: dict[str, str] = field(default_factory=dict)
    threads: set[str] = field(default_factory=set)
    """The names of the threads that called :meth:`add`."""
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def can_accept(self) -> bool:
        return self.accepting

    def stats(self) -> dict[str, Any]:
        return self.counts

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
        self.closed = True
