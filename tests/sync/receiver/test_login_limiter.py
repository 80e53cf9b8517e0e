"""The staff password check made for a public service (issue #14): ``sync.receiver.login_limiter``.

The limiter's rules on a fake clock, its bounds with a real executor, and the staff web app's
sign-in behind it on a real receiver (also under 48 parallel wrong passwords). Figures under load (memory, /health latency) are measured by
``benchmarks/bench_receiver_abuse.py``, not here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest
import requests

from sync.receiver import ReceiverSettings, ReceiverThread
from sync.receiver.login_limiter import LimiterSettings, LoginLimiter, Refused
from sync_helpers import STAFF_PASSWORD, staff_login

RIGHT = "the right one"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, **settings) -> LoginLimiter:
    settings.setdefault("refuse_pause_s", 0.0)
    return LoginLimiter(lambda pw: pw == RIGHT, settings=LimiterSettings(**settings), clock=clock)


def attempt(lim: LoginLimiter, client: str, password: str) -> bool | Refused:
    async def go() -> bool | Refused:
        try:
            return await lim.check(client, password)
        except Refused as exc:
            return exc
    return asyncio.run(go())


def test_wrong_passwords_make_a_client_wait_longer_each_time_then_lock_it_out():
    clock = Clock()
    lim = limiter(clock, free_failures=3, base_delay_s=1, max_delay_s=60, lockout_failures=8, lockout_s=900,
                  rate_per_s=1000, burst=1000)
    for _ in range(3):  # free
        assert attempt(lim, "10.0.0.1", "guess") is False
    waits = []
    for _ in range(4):
        assert attempt(lim, "10.0.0.1", "guess") is False
        refused = attempt(lim, "10.0.0.1", "guess")
        assert isinstance(refused, Refused) and refused.status == 429
        waits.append(refused.retry_after)
        clock.now += refused.retry_after
    assert waits == [1, 2, 4, 8]
    assert attempt(lim, "10.0.0.1", "guess") is False  # the 8th: locked out
    locked = attempt(lim, "10.0.0.1", RIGHT)           # even the right password waits
    assert isinstance(locked, Refused) and locked.status == 429 and locked.retry_after == 900
    assert "locked out" in locked.message
    assert attempt(lim, "10.0.0.2", RIGHT) is True     # another address is not affected
    clock.now += 900
    assert attempt(lim, "10.0.0.1", RIGHT) is True
    assert attempt(lim, "10.0.0.1", "guess") is False  # a right password cleared the record: free again
    assert attempt(lim, "10.0.0.1", "guess") is False


def test_the_overall_throttle_holds_a_crowd_of_addresses():
    clock = Clock()
    lim = limiter(clock, rate_per_s=2, burst=4)
    results = [attempt(lim, f"10.1.0.{i}", "guess") for i in range(10)]
    assert results[:4] == [False] * 4
    assert all(isinstance(r, Refused) and r.status == 503 and r.retry_after >= 1 for r in results[4:])
    clock.now += 2  # the bucket refills: staff get in once the crowd stops
    assert attempt(lim, "10.9.9.9", RIGHT) is True


def test_checks_run_at_most_max_concurrent_at_once_and_one_more_is_503():
    running, peak, gate = [0], [0], threading.Event()
    lock = threading.Lock()

    def slow_verify(password: str) -> bool:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        gate.wait(5)
        with lock:
            running[0] -= 1
        return False

    lim = LoginLimiter(slow_verify, settings=LimiterSettings(max_concurrent=2, rate_per_s=1000, burst=1000,
                                                             refuse_pause_s=0))

    async def go() -> list:
        async def one(i: int):
            try:
                return await lim.check(f"10.2.0.{i}", "guess")
            except Refused as exc:
                return exc
        tasks = [asyncio.create_task(one(i)) for i in range(8)]
        await asyncio.sleep(0.3)
        gate.set()
        return await asyncio.gather(*tasks)

    try:
        results = asyncio.run(go())
    finally:
        lim.close()
    refused = [r for r in results if isinstance(r, Refused)]
    assert peak[0] == 2
    assert len(refused) == 6 and all(r.status == 503 and r.retry_after == 1 for r in refused)
    assert results.count(False) == 2
    assert lim._running == 0  # every slot given back


def test_a_check_whose_client_left_holds_its_slot_until_its_thread_is_done():
    gate = threading.Event()
    lim = LoginLimiter(lambda pw: gate.wait(5) and False,
                       settings=LimiterSettings(max_concurrent=1, rate_per_s=1000, burst=1000, refuse_pause_s=0))

    async def go() -> bool | Refused:
        first = asyncio.create_task(lim.check("10.6.0.1", "guess"))
        await asyncio.sleep(0.1)
        first.cancel()                      # the client went away; argon2 still runs
        await asyncio.sleep(0.05)
        try:
            return await lim.check("10.6.0.2", "guess")
        except Refused as exc:
            return exc

    try:
        second = asyncio.run(go())
        assert isinstance(second, Refused) and second.status == 503
        gate.set()
        deadline = time.monotonic() + 5
        while lim._running and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lim._running == 0
    finally:
        gate.set()
        lim.close()


def test_a_refused_attempt_is_answered_after_a_pause_that_costs_no_thread():
    lim = LoginLimiter(lambda pw: False, settings=LimiterSettings(rate_per_s=0.001, burst=0, refuse_pause_s=0.3))

    async def go() -> tuple[float, int]:
        started = time.monotonic()
        results = await asyncio.gather(*(lim.check(f"10.7.0.{i}", "guess") for i in range(200)),
                                       return_exceptions=True)
        return time.monotonic() - started, sum(isinstance(r, Refused) for r in results)

    elapsed, refused = asyncio.run(go())
    assert refused == 200
    assert 0.3 <= elapsed < 3.0  # 200 pauses at once, on the event loop: not 200 x 0.3 s


def test_a_remembered_password_costs_no_check_and_no_token():
    calls = []
    lim = LoginLimiter(lambda pw: calls.append(pw) or pw == RIGHT, remembered=lambda pw: pw == RIGHT,
                       settings=LimiterSettings(rate_per_s=0.001, burst=1))
    for _ in range(20):  # a page and its thumbnails
        assert attempt(lim, "10.3.0.1", RIGHT) is True
    assert calls == []


def test_the_client_table_is_bounded():
    lim = limiter(Clock(), max_clients=5, rate_per_s=1000, burst=1000)
    for i in range(50):
        attempt(lim, f"10.4.0.{i}", "guess")
    assert len(lim._clients) == 5


def test_the_log_names_addresses_and_counts_never_a_password(caplog):
    clock = Clock()
    lim = limiter(clock, free_failures=1, lockout_failures=3, rate_per_s=1000, burst=1000)
    with caplog.at_level(logging.INFO, logger="sync.receiver.login"):
        for _ in range(3):
            attempt(lim, "10.5.0.1", "hunter2-secret")
            clock.now += 100
    assert "10.5.0.1" in caplog.text and "locked out" in caplog.text
    assert "hunter2" not in caplog.text


# ------------------------------------------------------------------ the staff web app's sign-in behind it

@pytest.fixture
def guarded_receiver(receiver_dir, staff_password):
    settings = LimiterSettings(free_failures=3, base_delay_s=30, lockout_failures=6, lockout_s=600,
                               refuse_pause_s=0.2)
    with ReceiverThread(ReceiverSettings(receiver_dir, login=settings)) as r:
        yield r


def sign_in(receiver, password: str, address: str) -> requests.Response:
    # The receiver trusts X-Forwarded-For from 127.0.0.1, as from the reverse proxy in deploy/receiver/.
    return staff_login(receiver.url, password=password, headers={"X-Forwarded-For": address})


def test_thirty_wrong_passwords_at_the_sign_in_are_throttled_and_others_still_get_in(guarded_receiver):
    started = time.monotonic()
    codes = [sign_in(guarded_receiver, f"wrong password {i}", "203.0.113.7").status_code for i in range(30)]
    assert codes[:4] == [401] * 4          # three free, the fourth starts the wait
    assert set(codes[4:]) == {429}         # answered at once, nothing hashed
    assert time.monotonic() - started < 20
    refused = sign_in(guarded_receiver, STAFF_PASSWORD, "203.0.113.7")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Zu viele falsche Passwörter" in refused.text and "receiver_session" not in refused.cookies
    assert sign_in(guarded_receiver, STAFF_PASSWORD, "198.51.100.1").status_code == 303


@pytest.mark.slow
def test_48_parallel_wrong_sign_ins_keep_memory_bounded_and_staff_get_in_after(receiver_dir, staff_password):
    """Issue #14's flood, at the staff web app's sign-in: 48 clients from their own addresses send
    wrong passwords as fast as they are answered. argon2 (64 MiB a check) runs at most
    ``max_concurrent`` at once, so the receiver process stays far below 48 x 64 MiB; the rest are
    refused at once (429/503); afterwards the right password signs in, honouring Retry-After.
    The figures over 60 s: benchmarks/bench_receiver_abuse.py."""
    from abuse_helpers import free_port, rss_mib, staff_status, start_receiver, stop, wrong_password_flood

    port = free_port()
    proc = start_receiver(receiver_dir, port)
    try:
        counts = wrong_password_flood(port, 48, 8.0)
        peak = rss_mib(proc.pid)[1]  # VmHWM: the peak resident memory of the process so far
        assert counts.get(303, 0) == 0 and sum(counts.values()) > 48
        assert set(counts) <= {401, 429, 503}, counts
        assert counts.get(429, 0) + counts.get(503, 0) > counts.get(401, 0)  # most never reach argon2
        assert peak <= 300, f"receiver peaked at {peak:.0f} MiB"
        status, retry_after = staff_status(port, STAFF_PASSWORD)
        for _ in range(3):
            if status == 303 or retry_after is None:
                break
            time.sleep(retry_after)
            status, retry_after = staff_status(port, STAFF_PASSWORD)
        assert status == 303
    finally:
        stop(proc)
