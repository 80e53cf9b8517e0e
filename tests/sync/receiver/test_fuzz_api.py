"""Fuzzing the receiver's HTTP API (issue #14) with requests built from the protocol's schema.

Submissions start as real wire forms (``Submission.to_wire()``) and have fields dropped, added,
or set to any JSON value or odd text; paths, methods, tokens and bodies vary around the
protocol's (``sync.protocol``). Raw requests vary the framing. Every answer is below 500 and an
error answer is the protocol's JSON error body; nothing reaches the log at ERROR (no traceback);
nothing is stored that a kiosk of the token could not have sent.
"""

from __future__ import annotations

import json
import logging
import socket
import uuid

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from fuzz_helpers import ODD_TEXT, fuzz_settings, json_values
from kiosk.core.model import WIRE_FIELDS, sha256_hex
from sync.protocol import API_PREFIX
from sync_helpers import KIOSK_ID, make_drawing, make_idea, receiver_digests


class ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def errors():
    handler = ErrorRecords()
    logging.getLogger().addHandler(handler)
    yield handler.records
    logging.getLogger().removeHandler(handler)


@st.composite
def wire_forms(draw) -> dict:
    """A real submission's wire form, then up to four changes a careless or hostile client makes."""
    make = draw(st.sampled_from([make_idea, make_drawing]))
    wire = make(draw(st.integers(0, 10_000))).to_wire()
    for _ in range(draw(st.integers(0, 4))):
        change = draw(st.sampled_from(["set", "drop", "add", "blobs"]))
        name = draw(st.sampled_from(sorted(WIRE_FIELDS)))
        if change == "set":
            wire[name] = draw(json_values() | ODD_TEXT | st.sampled_from([None, True, 0, -1, 10 ** 30, "", [], {}]))
        elif change == "drop":
            wire.pop(name, None)
        elif change == "add":
            wire[draw(st.text(max_size=12))] = draw(json_values())
        else:
            wire["blobs"] = draw(st.lists(st.fixed_dictionaries(
                {}, optional={"role": st.sampled_from(["png", "strokes", "x"]) | json_values(2),
                              "media_type": st.text(max_size=10) | json_values(2),
                              "sha256": st.sampled_from(["0" * 64, "A" * 64, "x"]) | json_values(2),
                              "size": st.integers(-1, 10 ** 12) | json_values(2)}) | json_values(3), max_size=3))
    return wire


def body_of(draw, wire: dict) -> bytes:
    text = json.dumps(wire, ensure_ascii=draw(st.booleans()))
    how = draw(st.sampled_from(["json", "json", "cut", "bytes", "deep", "number"]))
    if how == "cut":
        return text.encode("utf-8", "surrogatepass")[:draw(st.integers(0, len(text)))]
    if how == "bytes":
        return draw(st.binary(max_size=300))
    if how == "deep":
        depth = draw(st.sampled_from([50_000, 990, 1_100, 5_000]))
        return b"[" * depth + b"]" * depth
    if how == "number":
        return b'{"kind": ' + b"9" * draw(st.sampled_from([5_000, 4_300, 4_301])) + b"}"
    return text.encode("utf-8", "surrogatepass")


HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=60)


@st.composite
def api_requests(draw, token: str) -> tuple[str, str, dict, bytes]:
    wire = draw(wire_forms())
    sub_id = wire.get("id") if isinstance(wire.get("id"), str) and draw(st.booleans()) else str(uuid.uuid4())
    body = body_of(draw, wire)
    target = draw(st.sampled_from(["submission", "submission", "submission", "blob", "health", "other"]))
    if target == "submission":
        method, path = draw(st.sampled_from(["PUT", "PUT", "GET", "POST", "DELETE"])), f"/submissions/{sub_id}"
    elif target == "blob":
        digest = draw(st.sampled_from([sha256_hex(body), "0" * 64, "A" * 64, "a" * 63]) | HEADER_TEXT)
        method, path = draw(st.sampled_from(["PUT", "PUT", "GET", "PATCH"])), f"/blobs/{digest}"
    elif target == "health":
        method, path = draw(st.sampled_from(["GET", "GET", "PUT", "OPTIONS"])), "/health"
    else:
        method, path = draw(st.sampled_from(["GET", "PUT", "POST"])), "/" + draw(HEADER_TEXT)
    path = draw(st.sampled_from([API_PREFIX] * 9 + [""])) + path
    good = st.just(f"Bearer {token}")
    bad = st.sampled_from(["", "Bearer ", "Bearer nope", f"bearer {token}", f"Basic {token}", "Bearer " + "x" * 10_000])
    headers = {"Authorization": draw(st.one_of(good, good, good, bad, HEADER_TEXT))}
    if draw(st.booleans()):
        headers["Content-Type"] = draw(st.sampled_from(["application/json", "text/plain", "multipart/form-data"])
                                       | HEADER_TEXT)
    return method, path, headers, body


def assert_protocol_answer(r: requests.Response, method: str) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code >= 400 and method != "HEAD":
        body = r.json()
        assert set(body) == {"detail", "field"} and isinstance(body["detail"], str), body


@fuzz_settings(200)
@given(data=st.data())
def test_any_request_gets_a_4xx_json_answer_never_a_5xx(receiver, token, receiver_dir, errors, data):
    method, path, headers, body = data.draw(api_requests(token))
    with requests.Session() as s:
        r = s.request(method, receiver.url + path, headers=headers, data=body, timeout=30)
    assert_protocol_answer(r, method)
    assert errors == []


def test_what_the_fuzzing_stored_is_only_what_this_kiosk_may_store(receiver, token, receiver_dir, errors):
    """Run after a batch of fuzzed requests against the same receiver: every stored row is a valid
    submission of the token's kiosk (the stored digests match their canonical JSON)."""
    import sqlite3

    with requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {token}"
        for i in range(20):
            sub = make_idea(i, text=f"fuzz {i}")
            s.put(f"{receiver.url}{API_PREFIX}/submissions/{sub.id}", data=sub.canonical_json(), timeout=10)
            other = make_idea(i, kiosk_id="not-this-kiosk")
            r = s.put(f"{receiver.url}{API_PREFIX}/submissions/{other.id}", data=other.canonical_json(), timeout=10)
            assert r.status_code == 422
    with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
        rows = db.execute("SELECT kiosk_id, delivered_by, sha256, canonical FROM submissions").fetchall()
    assert len(rows) == 20
    for kiosk_id, delivered_by, sha, canonical in rows:
        assert kiosk_id == delivered_by == KIOSK_ID and sha256_hex(bytes(canonical)) == sha
    assert len(receiver_digests(receiver_dir)) == 20 and errors == []


FRAMING = st.lists(st.sampled_from([
    "Content-Length: 0", "Content-Length: 5", "Content-Length: -1", "Content-Length: 99999999999999999999",
    "Content-Length: 1, 2", "Content-Length: abc", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip",
    "Transfer-Encoding: chunked, chunked", "Expect: 100-continue", "Connection: close", "Host: a", "Host: b",
    "X-Forwarded-For: 10.0.0.1", "X-" + "a" * 10_000 + ": b",
]), max_size=5)


@fuzz_settings(100)
@given(method=st.sampled_from(["GET", "PUT", "POST", "G\x00T", ""]),
       path=st.sampled_from([f"{API_PREFIX}/health", f"{API_PREFIX}/blobs/{'a' * 64}", "/", "*", "/%00", "//x"]),
       version=st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x"]),
       headers=FRAMING, body=st.binary(max_size=64))
def test_any_framing_gets_one_answer_below_500_or_a_closed_connection(receiver, token, errors, method, path,
                                                                      version, headers, body):
    head = f"{method} {path} {version}\r\nAuthorization: Bearer {token}\r\n" + "".join(f"{h}\r\n" for h in headers)
    with socket.create_connection((receiver.host, receiver.port), timeout=5) as sock:
        try:
            sock.sendall(head.encode("latin-1") + b"\r\n" + body)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the receiver closed it already
        raw = b""
        try:
            while chunk := sock.recv(65536):
                raw += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    statuses = [int(line.split()[1]) for line in raw.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
    assert all(status < 500 for status in statuses), raw[:300]
    assert errors == []
