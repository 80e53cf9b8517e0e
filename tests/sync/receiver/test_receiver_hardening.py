"""The receiver under hostile requests (issue #14), over real sockets on 127.0.0.1.

Each answer is a 4xx with the protocol's JSON error body; nothing is stored; nothing at
ERROR level (no traceback) reaches the log; what must not be read is not read.
"""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest
import requests

from sync.protocol import Limits
from sync.receiver.storage import ReceiverStore
from sync_helpers import KIOSK_ID, make_idea, receiver_digests


def raw_request(receiver, head: str, body: bytes = b"") -> socket.socket:
    sock = socket.create_connection((receiver.host, receiver.port), timeout=5)
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
    return sock


def read_until_closed(sock: socket.socket, timeout_s: float = 5.0) -> tuple[bytes, bool]:
    """Everything the server sends, and whether it closed the connection within ``timeout_s``."""
    sock.settimeout(timeout_s)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        return data, True
    except TimeoutError:
        return data, False
    return data, True


def status_and_json(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def no_errors_logged(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("body, words", [
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"kind": ' + b"7" * 5000 + b"}", "malformed JSON"),
    (b'{"id": "x", "text": "\xff"}', "malformed JSON"),
])
def test_a_body_json_cannot_parse_is_422_not_500(api, receiver_dir, caplog, body, words):
    sub = make_idea()
    with caplog.at_level(logging.INFO):
        r = api.put(f"{api.base}/submissions/{sub.id}", data=body, timeout=10)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "(body)" and words in r.json()["detail"]
    assert no_errors_logged(caplog) == []
    assert receiver_digests(receiver_dir) == {}


def test_a_kiosk_id_not_of_the_token_is_422_and_not_stored(api, receiver_dir):
    sub = make_idea(kiosk_id="someone-else")
    r = api.put(f"{api.base}/submissions/{sub.id}", data=sub.canonical_json(), timeout=5)
    assert r.status_code == 422
    assert r.json()["field"] == "kiosk_id" and KIOSK_ID in r.json()["detail"]
    assert receiver_digests(receiver_dir) == {}
    own = make_idea()
    assert api.put(f"{api.base}/submissions/{own.id}", data=own.canonical_json(), timeout=5).status_code == 201


def test_the_staff_counts_go_by_who_delivered(tmp_path):
    """A row whose kiosk_id is not its deliverer's (stored before #14, or imported) counts under the
    deliverer: the token's kiosk, or ``bundle:<kiosk>`` for a USB import."""
    store = ReceiverStore(tmp_path)
    try:
        for sub, by in ((make_idea(1, kiosk_id="claimed"), "terminal-1"), (make_idea(2), "bundle:kiosk-test-1")):
            store.put_submission(submission_id=sub.id, sha256=sub.digest(), canonical=sub.canonical_json(),
                                 kind=sub.kind, kiosk_id=sub.kiosk_id, event_id=sub.event_id,
                                 created_at=sub.created_at, delivered_by=by, blobs=[])
        assert [row[:3] for row in store.counts_by_kiosk()] == [("bundle:kiosk-test-1", 1, 0), ("terminal-1", 1, 0)]
    finally:
        store.close()


def test_content_length_with_transfer_encoding_is_400_and_one_answer(receiver, token):
    smuggled = b"0\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    sock = raw_request(receiver, f"PUT /api/v1/blobs/{'a' * 64} HTTP/1.1\nHost: x\nAuthorization: Bearer {token}\n"
                                 f"Content-Length: {len(smuggled)}\nTransfer-Encoding: chunked\n", smuggled)
    with sock:
        raw, closed = read_until_closed(sock)
    assert closed
    assert raw.count(b"HTTP/1.1 ") == 1
    status, body = status_and_json(raw)
    assert status == 400 and body["field"] == "Transfer-Encoding"


def push_body(sock: socket.socket, cap: int, seconds: float = 10.0) -> int:
    """Send zeros until the server stops taking them (closed) or ``cap`` bytes; the bytes sent."""
    sent, chunk, deadline = 0, b"\0" * 65536, time.monotonic() + seconds
    sock.settimeout(1.0)
    try:
        while sent < cap and time.monotonic() < deadline:
            sent += sock.send(chunk)
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass
    return sent


MAX_BLOB, MAX_JSON = Limits().max_blob_bytes, Limits().max_json_bytes


@pytest.mark.parametrize("auth, path, declared, status", [
    ("", f"/api/v1/blobs/{'a' * 64}", 2 * 1024 ** 3, 401),                               # no token
    ("Authorization: Bearer not-a-token\n", f"/api/v1/blobs/{'a' * 64}", 2 * 1024 ** 3, 401),
    ("TOKEN", "/api/v1/nothing-here", 2 * 1024 ** 3, 404),
    ("TOKEN", f"/api/v1/blobs/{'a' * 64}", MAX_BLOB + 1, 413),                           # over the limit
    ("TOKEN", "/api/v1/submissions/1b4e28ba-2fa1-4d2e-8f3b-1c2d3e4f5a6b", MAX_JSON + 1, 413),
])
def test_a_refused_body_is_not_read(receiver, token, auth, path, declared, status):
    """The answer comes after the headers, before the body (the client has sent 64 KiB of it), and
    the connection closes: the client cannot push more than the sockets' buffers."""
    auth = f"Authorization: Bearer {token}\n" if auth == "TOKEN" else auth
    sock = raw_request(receiver, f"PUT {path} HTTP/1.1\nHost: x\n{auth}Content-Length: {declared}\n", b"\0" * 65536)
    with sock:
        sock.settimeout(5)
        first = sock.recv(65536)
        assert first.startswith(f"HTTP/1.1 {status} ".encode()), first[:100]
        assert b"connection: close" in first.lower()
        sent = push_body(sock, cap=min(declared, 256 * 1024 ** 2))
        _, closed = read_until_closed(sock)
    assert closed
    assert sent < 128 * 1024 ** 2  # the kernel's socket buffers at most (up to 36 MiB here); never the rest


def test_a_chunked_body_is_refused_as_it_passes_the_limit(receiver, token):
    """No length declared: the 413 comes as soon as the bytes read pass the limit, and the connection closes."""
    sock = raw_request(receiver, f"PUT /api/v1/blobs/{'a' * 64} HTTP/1.1\nHost: x\nAuthorization: Bearer {token}\n"
                                 "Transfer-Encoding: chunked\n")
    with sock:
        chunk = b"10000\r\n" + b"\0" * 65536 + b"\r\n"
        for _ in range(MAX_BLOB // 65536 + 1):  # 64 KiB more than the limit, then wait
            sock.sendall(chunk)
        raw, closed = read_until_closed(sock)
    assert raw.startswith(b"HTTP/1.1 413 ") and closed
    assert status_and_json(raw)[1]["field"] == "blob"


def test_a_client_that_goes_away_mid_upload_is_one_line_not_a_traceback(receiver, token, receiver_dir, caplog):
    sub = make_idea()
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            sock = raw_request(receiver, f"PUT /api/v1/submissions/{sub.id} HTTP/1.1\nHost: x\n"
                                         f"Authorization: Bearer {token}\nContent-Length: 100000\n", b"{" * 1000)
            sock.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and sum("went away" in r.getMessage() for r in caplog.records) < 3:
            time.sleep(0.05)
    assert sum("went away" in r.getMessage() for r in caplog.records) == 3
    assert no_errors_logged(caplog) == []
    assert receiver_digests(receiver_dir) == {}
    assert requests.get(receiver.url + "/api/v1/health", timeout=5).status_code == 200
