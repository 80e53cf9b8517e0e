"""Terminals' heartbeats: the worker sends them to the real receiver; an older receiver without
the endpoint costs one request an hour and nothing else."""

from __future__ import annotations

import http.server
import sqlite3
import threading
import time

from sync.client import SyncClient
from sync.protocol import Outcome
from sync.worker import SyncStatus

from sync_helpers import make_idea
from test_worker import make_worker, wait_for


def heartbeat_row(receiver_dir):
    with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
        return db.execute("SELECT kiosk_id, app_version, pending, failed, free_disk_bytes, last_activity, reason, "
                          "clock_skew_s FROM heartbeats").fetchall()


def test_the_worker_reports_after_a_delivering_pass_and_while_idle(store, data_dir, receiver, receiver_dir, token,
                                                                   kiosk_id):
    import kiosk

    statuses: list[SyncStatus] = []
    store.add(make_idea(1))
    worker = make_worker(data_dir, receiver.url, token, statuses, interval_s=0.2, heartbeat_every_s=0.5,
                         disk_path=data_dir).start()
    try:
        wait_for(lambda: worker.status.sent == 1)
        wait_for(lambda: len(heartbeat_row(receiver_dir)) == 1)
        [(who, version, pending, failed, free, last, reason, skew)] = heartbeat_row(receiver_dir)
        assert (who, version, pending, failed) == (kiosk_id, kiosk.__version__, 0, 0)
        assert free > 0 and last.startswith(make_idea(1).created_at[:4]) and abs(skew) < 5
        first = reason
        wait_for(lambda: heartbeat_row(receiver_dir)[0][6] == "online", timeout=5)  # idle ones follow
    finally:
        assert worker.stop(timeout=5)
    assert first in ("pass", "online")


class _OldReceiver(http.server.BaseHTTPRequestHandler):
    """A receiver from before heartbeats: 404 for the endpoint."""

    calls: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        type(self).calls.append(self.path)
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "not found"}')

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


def test_an_older_receiver_without_the_endpoint_is_not_asked_again_soon(store):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OldReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = SyncClient(store, endpoint=f"http://127.0.0.1:{server.server_port}/api/v1", token="t" * 43)
        first = client.heartbeat({"sent_at": "2024-07-01T00:00:00Z"})
        second = client.heartbeat({"sent_at": "2024-07-01T00:00:00Z"})
        client.close()
    finally:
        server.shutdown()
    assert first.outcome is Outcome.OK and second.outcome is Outcome.OK
    assert _OldReceiver.calls == ["/api/v1/heartbeat"]


def test_a_heartbeat_with_a_wrong_token_is_an_auth_failure_not_a_crash(store, receiver):
    client = SyncClient(store, endpoint=receiver.url + "/api/v1", token="not-a-token-of-this-receiver")
    try:
        assert client.heartbeat({"sent_at": "2024-07-01T00:00:00Z"}).outcome is Outcome.AUTH
    finally:
        client.close()
    time.sleep(0)
