"""Password checks made for a public service: bounded, throttled, logged without secrets.

A password is checked with argon2, which is slow and takes 64 MiB per check on purpose; a
stranger who sends wrong passwords as fast as he can must not turn that into an exhausted
memory or a brute-force search. :class:`LoginLimiter` sits in front of any password check
(the staff web app's sign-in, ``POST /staff/login``, calls :meth:`check`):

- **Per client** (its address): a few wrong passwords are free; after that each further one
  makes the client wait before the next attempt, twice as long each time (1 s, 2 s, 4 s, ...
  up to a minute), and after ``lockout_failures`` in a row it is locked out for
  ``lockout_s``. While it waits, an attempt is answered 429 with ``Retry-After`` at once,
  without hashing anything. A right password clears its record.
- **Overall**: at most ``rate_per_s`` checks a second across all clients (a token bucket with
  ``burst``), so a crowd of addresses cannot do together what one may not; beyond it, 503
  with ``Retry-After``.
- **Concurrency and memory**: at most ``max_concurrent`` checks run at once, on an executor
  of that many threads; one more is answered 503 with ``Retry-After`` at once (nothing
  queues). A check counts until its thread is done, also when its client went away.
  Memory is bounded by ``max_concurrent`` x the hash's memory cost, and the table of
  clients by ``max_clients``.

A refused attempt is answered after a pause of ``refuse_pause_s`` (1 s, on the event loop, no
thread): a client that ignores ``Retry-After`` and asks again at once gets at most one answer a
second per connection, so a crowd of them cannot keep the receiver busy with cheap refusals.

What is logged: the client's address, how many wrong passwords in a row, lockouts; never a
password or anything derived from one.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger("sync.receiver.login")


@dataclass(frozen=True, slots=True)
class LimiterSettings:
    max_concurrent: int = 2
    """Password hashes computed at once (argon2: 64 MiB each); one more is answered 503."""
    free_failures: int = 3
    """Wrong passwords in a row a client may send before it has to wait."""
    base_delay_s: float = 1.0
    """The first wait; it doubles with each further wrong password."""
    max_delay_s: float = 60.0
    lockout_failures: int = 10
    """Wrong passwords in a row after which a client is locked out."""
    lockout_s: float = 900.0
    rate_per_s: float = 4.0
    """Password checks a second across all clients (the overall throttle)."""
    burst: int = 8
    forget_s: float = 3600.0
    """A client's wrong passwords are forgotten this long after its last one."""
    max_clients: int = 10_000
    """Clients remembered at once (the least recently seen is forgotten first)."""
    refuse_pause_s: float = 1.0
    """How long a refused attempt waits for its answer (at most its ``Retry-After``)."""


class Refused(Exception):
    """No check now: answer ``status`` (429 or 503) with ``Retry-After: retry_after``."""

    def __init__(self, status: int, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.message = message


@dataclass(slots=True)
class _Client:
    failures: int = 0
    last_failure: float = 0.0
    next_try: float = 0.0


class LoginLimiter:
    """See the module's docstring. ``verify(password) -> bool`` is the slow check (run on the
    limiter's own threads); ``remembered(password) -> bool`` an optional fast one for a
    password verified a moment ago (a page and its thumbnails send it many times)."""

    def __init__(self, verify: Callable[[str], bool], *, remembered: Callable[[str], bool] | None = None,
                 settings: LimiterSettings = LimiterSettings(),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._verify = verify
        self._remembered = remembered
        self.settings = settings
        self._clock = clock
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._tokens = float(settings.burst)
        self._refilled = clock()
        self._running = 0
        self._running_lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=settings.max_concurrent, thread_name_prefix="password-check")
        self._recent_failures: deque[float] = deque(maxlen=10_000)
        self._reported_at = float("-inf")

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def check(self, client: str, password: str) -> bool:
        """True for the right password, False for a wrong one.

        Raises:
            Refused: this client must wait (429), or the service is at its bound (503).
        """
        now = self._clock()
        try:
            self._client_may_try(client, now)
            if self._remembered is not None and self._remembered(password):
                self._clients.pop(client, None)
                return True
            self._take_token(now)
            ok = await self._verify_bounded(password)
        except Refused as exc:
            await asyncio.sleep(min(self.settings.refuse_pause_s, exc.retry_after))
            raise
        if ok:
            if self._clients.pop(client, None) is not None:
                log.info("right staff password from %s after wrong ones; its record is cleared", client)
            return True
        self._failed(client, self._clock())
        return False

    # ------------------------------------------------------------------ the three bounds

    def _client_may_try(self, client: str, now: float) -> None:
        record = self._clients.get(client)
        if record is None:
            return
        if now - record.last_failure > self.settings.forget_s:
            del self._clients[client]
            return
        if now < record.next_try:
            locked = record.failures >= self.settings.lockout_failures
            raise Refused(429, math.ceil(record.next_try - now),
                          "too many wrong passwords from this address: locked out for a while" if locked
                          else "too many wrong passwords from this address: wait before the next try")

    def _take_token(self, now: float) -> None:
        s = self.settings
        self._tokens = min(float(s.burst), self._tokens + (now - self._refilled) * s.rate_per_s)
        self._refilled = now
        if self._tokens < 1.0:
            raise Refused(503, max(1, math.ceil((1.0 - self._tokens) / s.rate_per_s)),
                          "too many password attempts on this service right now; try again shortly")
        self._tokens -= 1.0

    async def _verify_bounded(self, password: str) -> bool:
        with self._running_lock:
            if self._running >= self.settings.max_concurrent:
                raise Refused(503, 1, "too many password checks at once; try again shortly")
            self._running += 1
        try:
            job = self._executor.submit(self._verify, password)
        except BaseException:
            self._done()
            raise
        job.add_done_callback(self._done)  # when the thread is done, even if nobody waits any more
        return await asyncio.wrap_future(job)

    def _done(self, _job: object = None) -> None:
        with self._running_lock:
            self._running -= 1

    # ------------------------------------------------------------------ bookkeeping

    def _failed(self, client: str, now: float) -> None:
        s = self.settings
        record = self._clients.pop(client, None) or _Client()
        self._clients[client] = record  # most recently seen last
        while len(self._clients) > s.max_clients:
            self._clients.popitem(last=False)
        record.failures += 1
        record.last_failure = now
        extra = record.failures - s.free_failures
        if record.failures >= s.lockout_failures:
            record.next_try = now + s.lockout_s
            log.warning("staff login: %s locked out for %d s after %d wrong passwords in a row",
                        client, s.lockout_s, record.failures)
        elif extra > 0:
            record.next_try = now + min(s.max_delay_s, s.base_delay_s * 2 ** (extra - 1))
            log.info("staff login: wrong password from %s (%d in a row); next try in %.0f s",
                     client, record.failures, record.next_try - now)
        else:
            log.info("staff login: wrong password from %s (%d in a row)", client, record.failures)
        self._recent_failures.append(now)
        if now - self._reported_at >= 60.0:
            last_minute = sum(1 for t in self._recent_failures if now - t < 60.0)
            if last_minute >= 2 * s.lockout_failures:
                self._reported_at = now
                log.warning("staff login: %d wrong passwords in the last minute, %d addresses on record",
                            last_minute, len(self._clients))
