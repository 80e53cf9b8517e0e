"""The sync client against the real receiver: delivery, receipts and each kind of error."""

from __future__ import annotations

import socket

import pytest
import requests

from sync.client import ItemResult, SyncClient, SyncConfigError
from sync.protocol import Limits, Outcome
from sync.receiver import ReceiverSettings, ReceiverThread

from sync_helpers import assert_exactly_once, make_drawing, make_idea, mixed_submissions, receiver_digests


def add_all(store, subs):
    for s in subs:
        store.add(s)
    return subs


def test_delivers_ideas_and_drawings_exactly_once(store, receiver_dir, make_client):
    subs = add_all(store, mixed_submissions(12))
    client = make_client()
    seen = []
    report = client.sync_pending(progress=lambda r: seen.append(r.done))
    assert (report.delivered, report.already_there, report.failed, report.remaining) == (12, 0, [], 0)
    assert report.stopped_by is None and seen[-1] == 12
    assert_exactly_once(store, receiver_dir, subs)
    again = client.sync_pending()
    assert again.done == 0 and again.remaining == 0


def test_answer_lost_before_mark_sent_is_already_there(store, receiver, receiver_dir, token, make_client):
    """The receiver stored it but the kiosk never recorded the receipt: the retry gets 200."""
    sub = add_all(store, [make_drawing(1)])[0]
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    for b in sub.blobs:
        s.put(f"{receiver.url}/api/v1/blobs/{b.sha256}", data=b.data, timeout=5)
    first = s.put(f"{receiver.url}/api/v1/submissions/{sub.id}", data=sub.canonical_json(), timeout=5).json()
    report = make_client().sync_pending()
    assert (report.delivered, report.already_there) == (0, 1)
    assert store.sync_state(sub.id).receipt["received_at"] == first["received_at"]
    assert_exactly_once(store, receiver_dir, [sub])


def test_wrong_token_stops_with_plain_words(store, make_client):
    subs = add_all(store, mixed_submissions(3))
    report = make_client(token="not-the-token").sync_pending()
    assert report.stopped_by is Outcome.AUTH
    assert "token is wrong" in report.error
    assert "not-the-token" not in report.error
    assert report.remaining == 3 and report.failed == []
    assert {store.sync_state(s.id).status for s in subs} == {"pending"}


def test_missing_token_file_is_an_auth_stop(store, data_dir, receiver):
    from kiosk.core.config import SyncConfig

    cfg = SyncConfig(enabled=True, endpoint=receiver.url + "/api/v1", token_file="nope.token")
    client = SyncClient.from_config(store, cfg, data_dir)
    add_all(store, [make_idea()])
    report = client.sync_pending()
    assert report.stopped_by is Outcome.AUTH and "does not exist" in report.error
    (data_dir / "nope.token").write_text("wrong\n")
    assert client.sync_pending().stopped_by is Outcome.AUTH
    client.close()


def test_token_file_is_reread_each_pass(store, data_dir, receiver, receiver_dir, token):
    from kiosk.core.config import SyncConfig

    (data_dir / "sync.token").write_text("wrong\n")
    cfg = SyncConfig(enabled=True, endpoint=receiver.url + "/api/v1", token_file="sync.token")
    client = SyncClient.from_config(store, cfg, data_dir)
    subs = add_all(store, [make_idea()])
    assert client.sync_pending().stopped_by is Outcome.AUTH
    (data_dir / "sync.token").write_text(token + "\n")
    assert client.sync_pending().delivered == 1
    assert_exactly_once(store, receiver_dir, subs)
    client.close()


def test_conflict_fails_that_one_and_goes_on(store, receiver, receiver_dir, token, make_client):
    subs = add_all(store, [make_idea(1), make_idea(2), make_idea(3)])
    impostor = make_idea(99, id=subs[1].id)  # same id, other content, already on the receiver
    requests.put(f"{receiver.url}/api/v1/submissions/{impostor.id}", data=impostor.canonical_json(),
                 headers={"Authorization": f"Bearer {token}"}, timeout=5).raise_for_status()
    report = make_client().sync_pending()
    assert report.delivered == 2 and report.remaining == 0
    assert [sid for sid, _ in report.failed] == [subs[1].id]
    assert "409" in report.failed[0][1] and "different content" in report.failed[0][1]
    state = store.sync_state(subs[1].id)
    assert state.status == "failed" and "different content" in state.last_error
    assert store.get(subs[1].id) == subs[1]  # nothing deleted
    assert receiver_digests(receiver_dir)[subs[1].id] == impostor.digest()


@pytest.fixture
def receiver_limits():
    return Limits(max_blob_bytes=1500)


@pytest.mark.parametrize("precheck", [True, False])
def test_too_large_blob_fails_with_413_and_others_go_on(store, make_client, receiver_limits, precheck):
    big = make_drawing(1, size=40)
    assert big.blob("png").size > 1500
    subs = add_all(store, [make_idea(1), big, make_idea(2)])
    client = make_client()
    if not precheck:  # the kiosk does not know the limit: the receiver's 413 decides
        client.health = lambda: ItemResult(Outcome.OK)
    report = client.sync_pending()
    assert report.delivered == 2
    assert report.failed[0][0] == big.id and report.failed[0][1].startswith("413")
    assert store.sync_state(big.id).status == "failed"
    assert store.sync_state(subs[0].id).status == "sent"


def test_receiver_down_is_transient_and_keeps_everything_pending(store, make_client):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    subs = add_all(store, mixed_submissions(2))
    report = make_client(f"http://127.0.0.1:{port}").sync_pending()
    assert report.stopped_by is Outcome.TRANSIENT
    assert "cannot reach" in report.error
    assert report.remaining == 2
    assert {store.sync_state(s.id).status for s in subs} == {"pending"}


def test_withheld_submission_is_not_sent(store, receiver_dir, make_client):
    subs = add_all(store, [make_idea(1), make_idea(2)])
    store.withhold(subs[0].id, "staff review")
    report = make_client().sync_pending()
    assert report.delivered == 1
    assert subs[0].id not in receiver_digests(receiver_dir)


@pytest.mark.parametrize("url, plain", [
    ("http://192.0.2.10/api/v1", False), ("ftp://x/api/v1", False), ("", False),
])
def test_unsafe_endpoint_is_refused(store, url, plain):
    with pytest.raises(SyncConfigError):
        SyncClient(store, endpoint=url, token="t", allow_plain_http=plain)


def test_plain_http_allowed_when_configured(store):
    with pytest.raises(SyncConfigError):
        SyncClient(store, endpoint="http://192.0.2.10/api/v1", token="t")
    client = SyncClient(store, endpoint="http://192.0.2.10/api/v1", token="t", allow_plain_http=True)
    client.close()  # constructed without refusing: no request is sent to that address


def test_receipt_survives_receiver_restart(store, receiver_dir, token):
    subs = add_all(store, mixed_submissions(4))
    with ReceiverThread(ReceiverSettings(receiver_dir)) as r:
        c = SyncClient(store, endpoint=r.url, token=token)
        store_outgoing = store.outgoing
        calls = [0]

        def load_and_stop_after_two(sid):
            calls[0] += 1
            if calls[0] == 3:
                r.stop()
            return store_outgoing(sid)

        store.outgoing = load_and_stop_after_two
        report = c.sync_pending()
        del store.outgoing
        assert report.stopped_by is Outcome.TRANSIENT and report.remaining == 2
        c.close()
    with ReceiverThread(ReceiverSettings(receiver_dir)) as r:
        c = SyncClient(store, endpoint=r.url, token=token)
        assert c.sync_pending().remaining == 0
        c.close()
    assert_exactly_once(store, receiver_dir, subs)


def test_a_slow_upload_does_not_hold_back_the_others(store, receiver_dir, make_client):
    """With two upload threads, the others go on while the oldest upload hangs; receipts are
    still recorded in the original order."""
    import threading

    subs = add_all(store, mixed_submissions(6))
    order = store.pending_ids()
    client = make_client(parallel=2)
    others_done = threading.Event()
    finished: list[str] = []
    real_upload = client.upload

    held_while_waiting: list[str] = []

    def upload(sub):
        if sub.id == order[0]:
            others_done.wait(timeout=10)  # hangs until three later ones are through
            held_while_waiting.extend(loaded_submissions_alive(order[1:4], subs))
        result = real_upload(sub)
        finished.append(sub.id)
        if len(finished) == 3:
            others_done.set()
        return result

    client.upload = upload
    marked: list[str] = []
    real_mark_sent = store.mark_sent_many
    store.mark_sent_many = lambda receipts: marked.extend(s for s, _ in receipts) or real_mark_sent(receipts)
    report = client.sync_pending()
    del store.mark_sent_many
    assert others_done.is_set() and finished[:3] == order[1:4]  # not after a 10 s timeout
    assert held_while_waiting == []  # finished, not yet recorded: the client kept only their ids
    assert report.delivered == 6 and marked == order
    assert_exactly_once(store, receiver_dir, subs)


def loaded_submissions_alive(ids, own, timeout=2.0):
    """Ids among *ids* of loaded submissions (what the client sends) still alive, other than
    the test's own *own*, waiting up to *timeout* for an upload thread to let go of its last reference."""
    import gc
    import time

    from kiosk.core.model import Submission
    from kiosk.core.storage import Outgoing

    deadline = time.monotonic() + timeout
    while True:
        gc.collect()
        alive = sorted({o.id for o in gc.get_objects()
                        if type(o) in (Submission, Outgoing) and o.id in ids and not any(o is s for s in own)})
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_requests_are_built_from_the_endpoint_path_and_current_token(store):
    """The per-pass template keeps a path prefix of the endpoint, and a new token replaces it."""
    import hashlib

    from sync.protocol import blob_path

    client = SyncClient(store, endpoint="https://receiver.example/city/api/v1", token="fake-token-1")
    digest = hashlib.sha256(b"x").hexdigest()
    client._authenticate()
    req = client._prepared("PUT", blob_path(digest), b"x", "application/octet-stream")
    assert req.url == f"https://receiver.example/city/api/v1/blobs/{digest}"
    assert (req.method, req.body) == ("PUT", b"x")
    assert req.headers["Authorization"] == "Bearer fake-token-1"
    assert req.headers["Content-Length"] == "1" and req.headers["Content-Type"] == "application/octet-stream"
    assert req.headers["User-Agent"].startswith("smart-city-kiosk/")
    health = client._prepared("GET", "/api/v1/health", None, "")
    assert "Content-Length" not in health.headers and "Content-Type" not in health.headers
    client._token = "fake-token-2"
    client._authenticate()
    assert client._prepared("GET", "/api/v1/health", None, "").headers["Authorization"] == "Bearer fake-token-2"
    client.close()
