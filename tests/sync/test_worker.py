"""The background worker: wakes, backs off, reports status, stops."""

from __future__ import annotations

import socket
import threading
import time


from kiosk.core.config import SyncConfig
from kiosk.core.storage import Store
from sync.client import SyncClient
from sync.receiver import ReceiverSettings, ReceiverThread
from sync.worker import SyncStatus, SyncWorker

from sync_helpers import assert_exactly_once, make_idea, mixed_submissions


def wait_for(pred, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    raise AssertionError("condition not reached in time")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_worker(data_dir, url, token, statuses, **kw):
    def make_client(store):
        return SyncClient(store, endpoint=url + "/api/v1", token=token, connect_timeout_s=0.5,
                          read_timeout_s=2.0)

    kw.setdefault("interval_s", 30.0)
    return SyncWorker(lambda: Store.open_in(data_dir), make_client, on_status=statuses.append,
                      rand=lambda: 0.5, backoff_base_s=0.05, **kw)


def test_wakes_on_new_submission_and_delivers(store, data_dir, receiver, receiver_dir, token):
    statuses: list[SyncStatus] = []
    worker = make_worker(data_dir, receiver.url, token, statuses).start()
    try:
        wait_for(lambda: worker.status.state == "online")
        subs = mixed_submissions(6)
        for s in subs:
            store.add(s)
        t0 = time.perf_counter()
        worker.wake()
        assert time.perf_counter() - t0 < 0.01  # never blocks the caller
        wait_for(lambda: worker.status.sent == 6 and worker.status.state == "online")
    finally:
        assert worker.stop(timeout=5)
    assert_exactly_once(store, receiver_dir, subs)
    assert statuses[-1].pending == 0 and statuses[-1].last_success_at
    assert all(a != b for a, b in zip(statuses, statuses[1:]))  # only real changes


def test_offline_then_back(store, data_dir, receiver_dir, token):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    subs = mixed_submissions(3)
    for s in subs:
        store.add(s)
    statuses: list[SyncStatus] = []
    worker = make_worker(data_dir, url, token, statuses).start()
    try:
        wait_for(lambda: worker.status.state == "offline" and worker.status.last_error)
        assert worker.status.pending == 3 and "cannot reach" in worker.status.last_error
        with ReceiverThread(ReceiverSettings(receiver_dir), port=port):
            worker.sync_now()
            wait_for(lambda: worker.status.state == "online" and worker.status.pending == 0)
    finally:
        assert worker.stop(timeout=5)
    assert_exactly_once(store, receiver_dir, subs)


def test_wrong_token_is_an_error_until_staff_fix_it(store, data_dir, receiver, receiver_dir, token):
    (data_dir / "sync.token").write_text("wrong")
    cfg = SyncConfig(enabled=True, endpoint=receiver.url + "/api/v1", token_file="sync.token", interval_s=60)
    statuses: list[SyncStatus] = []
    store.add(make_idea())
    worker = SyncWorker.from_config(cfg, data_dir, on_status=statuses.append).start()
    try:
        wait_for(lambda: worker.status.state == "error")
        assert "token is wrong" in worker.status.last_error
        worker.wake()  # a visitor's new idea does not hammer the receiver with a bad token
        time.sleep(0.2)
        assert worker.status.state == "error"
        (data_dir / "sync.token").write_text(token)
        worker.sync_now()
        wait_for(lambda: worker.status.state == "online" and worker.status.sent == 1)
    finally:
        assert worker.stop(timeout=5)


def test_observer_bug_does_not_stop_delivery(store, data_dir, receiver, token):
    def broken(status):
        raise RuntimeError("observer bug")

    worker = SyncWorker(lambda: Store.open_in(data_dir),
                        lambda s: SyncClient(s, endpoint=receiver.url, token=token),
                        on_status=broken).start()
    try:
        store.add(make_idea())
        worker.wake()
        wait_for(lambda: worker.status.sent == 1)
    finally:
        assert worker.stop(timeout=5)


def test_stop_joins_quickly_when_idle(data_dir, receiver, token):
    worker = make_worker(data_dir, receiver.url, token, []).start()
    wait_for(lambda: worker.status.state == "online")
    t0 = time.perf_counter()
    assert worker.stop(timeout=5)
    assert time.perf_counter() - t0 < 1.0
    assert not any(t.name == "sync-worker" and t.is_alive() for t in threading.enumerate())


def test_store_trouble_is_reported_not_fatal(tmp_path, receiver, token):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    worker = SyncWorker(lambda: Store.open_in(blocker / "sub"),
                        lambda s: SyncClient(s, endpoint=receiver.url, token=token), interval_s=0.05)
    worker.start()
    try:
        wait_for(lambda: worker.status.state == "error")
        assert "cannot start" in worker.status.last_error
    finally:
        assert worker.stop(timeout=5)


def test_reports_each_pass_and_its_progress_for_sync_now(store, data_dir, receiver, receiver_dir, token):
    """on_pass says which pass staff forced; on_progress counts up to the pass's total."""
    passes: list[tuple[object, bool]] = []
    progress: list[tuple[int, int]] = []
    worker = make_worker(data_dir, receiver.url, token, [], interval_s=60.0,
                         on_pass=lambda r, forced: passes.append((r, forced)),
                         on_progress=lambda done, total: progress.append((done, total)))
    worker.start()
    try:
        wait_for(lambda: len(passes) == 1)
        assert passes[0][1] is False and passes[0][0].delivered == 0  # the first pass, on its own
        subs = mixed_submissions(5)
        for s in subs:
            store.add(s)
        worker.sync_now()
        wait_for(lambda: len(passes) == 2)
    finally:
        assert worker.stop(timeout=5)
    report, forced = passes[1]
    assert forced is True
    assert (report.delivered, report.already_there, report.failed, report.remaining) == (5, 0, [], 0)
    assert progress[0] == (0, 5) and progress[-1] == (5, 5)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert_exactly_once(store, receiver_dir, subs)
