"""Delivery through a fault-injecting proxy: whatever the network does, exactly once."""

from __future__ import annotations

import time

import pytest

from sync.client import SyncClient
from sync.protocol import Outcome
from sync.worker import SyncWorker

from faultproxy import FAULTS, FaultProxy, RandomFaults
from sync_helpers import assert_exactly_once, make_drawing, mixed_submissions


@pytest.fixture
def proxy_for(receiver):
    made = []

    def make(choose, stall_s=0.5):
        p = FaultProxy((receiver.host, receiver.port), choose, stall_s=stall_s)
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()


def client_via(proxy, store, token, read_timeout_s=0.25):
    return SyncClient(store, endpoint=proxy.url + "/api/v1", token=token, connect_timeout_s=0.5,
                      read_timeout_s=read_timeout_s)


def drain(client, max_passes=200):
    """Run passes until nothing is pending (the worker would back off in between)."""
    reports = []
    for _ in range(max_passes):
        report = client.sync_pending()
        reports.append(report)
        if report.remaining == 0 and report.stopped_by is None:
            return reports
    raise AssertionError(f"still pending after {max_passes} passes: {reports[-1]}")


@pytest.mark.parametrize("seed", [1, 2])
def test_random_faults_then_exactly_once(store, receiver_dir, token, proxy_for, seed):
    subs = mixed_submissions(24)
    for s in subs:
        store.add(s)
    faults = RandomFaults(seed, rate=0.5, budget=30)
    proxy = proxy_for(faults)
    client = client_via(proxy, store, token)
    reports = drain(client)
    client.close()
    assert faults.budget == 0, "every planned fault was injected"
    assert len([k for k in proxy.applied if k != "pass"]) >= 5, proxy.applied
    assert sum(len(r.failed) for r in reports) == 0
    assert sum(r.delivered for r in reports) + sum(r.already_there for r in reports) == 24
    assert_exactly_once(store, receiver_dir, subs)


def first_put_of(path_part: bytes, fault: str):
    done = [False]

    def choose(line: bytes) -> str:
        if not done[0] and line.startswith(b"PUT") and path_part in line:
            done[0] = True
            return fault
        return "pass"

    return choose


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("target", [b"/blobs/", b"/submissions/"])
def test_each_fault_once(store, receiver_dir, token, proxy_for, fault, target):
    subs = [make_drawing(1), make_drawing(2)]
    for s in subs:
        store.add(s)
    proxy = proxy_for(first_put_of(target, fault))
    client = client_via(proxy, store, token)
    reports = drain(client, max_passes=3)
    client.close()
    assert sum(len(r.failed) for r in reports) == 0
    assert sum(proxy.applied[k] for k in proxy.applied if k != "pass") == 1
    if fault.startswith("status"):
        assert reports[0].stopped_by is Outcome.TRANSIENT  # 5xx/429 end the pass; a single
        # cut or stall is absorbed by urllib3's connection-level retry of the idempotent PUT
    assert_exactly_once(store, receiver_dir, subs)


def test_retry_after_is_reported(store, token, proxy_for):
    store.add(make_drawing(1))
    proxy = proxy_for(first_put_of(b"/submissions/", "status:429:7"))
    client = client_via(proxy, store, token)
    report = client.sync_pending()
    client.close()
    assert report.stopped_by is Outcome.TRANSIENT
    assert report.retry_after == 7.0 and "429" in report.error


def test_worker_waits_at_least_retry_after(store, data_dir, token, proxy_for):
    from kiosk.core.storage import Store

    store.add(make_drawing(1))
    proxy = proxy_for(lambda line: "status:503:5" if b"/submissions/" in line else "pass")
    worker = SyncWorker(lambda: Store.open_in(data_dir), lambda s: client_via(proxy, s, token),
                        rand=lambda: 0.0, backoff_base_s=0.01).start()
    try:
        end = time.monotonic() + 5
        while worker.status.next_try_in_s is None and time.monotonic() < end:
            time.sleep(0.02)
        assert worker.status.state == "offline"
        assert worker.status.next_try_in_s >= 5.0
        time.sleep(0.3)
        assert proxy.applied["status"] == 1  # no second try before Retry-After ran out
    finally:
        assert worker.stop(timeout=5)


def test_refused_then_back(store, receiver_dir, token, proxy_for):
    subs = mixed_submissions(4)
    for s in subs:
        store.add(s)
    proxy = proxy_for(lambda line: "pass")
    proxy.down()
    client = client_via(proxy, store, token)
    report = client.sync_pending()
    assert report.stopped_by is Outcome.TRANSIENT and "refused" in report.error
    proxy.up()
    drain(client)
    client.close()
    assert_exactly_once(store, receiver_dir, subs)
