"""A small per-client rate limit for the receiver's public pages (the status page).

A sliding window per client address, kept for a bounded number of clients (the least
recently seen forgotten first), so a flood of addresses cannot grow it without end. Guessing
a 192-bit token is hopeless anyway; the limit keeps a scraper from costing the receiver.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateSettings:
    per_window: int = 30
    """Requests a client may make in one window."""
    window_s: float = 60.0
    max_clients: int = 10_000


class RateLimiter:
    """``check(client)`` is 0 when the request may go on, else the seconds to wait."""

    def __init__(self, settings: RateSettings = RateSettings(),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, client: str) -> int:
        now = self._clock()
        s = self.settings
        with self._lock:
            hits = self._seen.pop(client, None) or deque()
            while hits and hits[0] <= now - s.window_s:
                hits.popleft()
            self._seen[client] = hits
            while len(self._seen) > s.max_clients:
                self._seen.popitem(last=False)
            if len(hits) >= s.per_window:
                return max(1, math.ceil(hits[0] + s.window_s - now))
            hits.append(now)
            return 0
