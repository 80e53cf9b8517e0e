"""The receiver against the protocol, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import time

import pytest
import requests

from kiosk.core.model import sha256_hex
from sync.protocol import Limits
from sync.receiver import ReceiverSettings, ReceiverThread, add_token
from sync.receiver.auth import TOKENS_FILE, TokenRegistry

from sync_helpers import KIOSK_ID, STAFF_PASSWORD, make_drawing, make_idea, make_png, staff_session


def put_all(api, sub):
    for b in sub.blobs:
        assert api.put(f"{api.base}/blobs/{b.sha256}", data=b.data, timeout=5).status_code in (200, 201)
    return api.put(f"{api.base}/submissions/{sub.id}", data=sub.canonical_json(), timeout=5)


def test_health_needs_no_token(receiver):
    r = requests.get(receiver.url + "/api/v1/health", timeout=5)
    assert r.status_code == 200
    assert r.json()["protocol"] == 1
    assert r.json()["limits"]["max_blob_bytes"] > 0


def test_submission_created_then_identical_is_200(api):
    sub = make_idea()
    first = put_all(api, sub)
    assert first.status_code == 201
    assert first.json()["sha256"] == sub.digest()
    assert first.json()["status"] == "created"
    again = put_all(api, sub)
    assert again.status_code == 200
    assert again.json()["received_at"] == first.json()["received_at"]
    got = api.get(f"{api.base}/submissions/{sub.id}", timeout=5)
    assert got.status_code == 200 and got.json()["sha256"] == sub.digest()


def test_drawing_blobs_first(api):
    sub = make_drawing(3)
    r = api.put(f"{api.base}/submissions/{sub.id}", data=sub.canonical_json(), timeout=5)
    assert r.status_code == 422 and r.json()["field"] == "blobs.sha256"
    png = sub.blob("png")
    assert api.put(f"{api.base}/blobs/{png.sha256}", data=png.data, timeout=5).status_code == 201
    assert api.put(f"{api.base}/blobs/{png.sha256}", data=png.data, timeout=5).status_code == 200
    assert put_all(api, sub).status_code == 201


def test_unknown_submission_is_404(api):
    assert api.get(f"{api.base}/submissions/{make_idea().id}", timeout=5).status_code == 404


def test_conflict_is_409_with_reason(api):
    sub = make_idea(text="original")
    assert put_all(api, sub).status_code == 201
    changed = make_idea(text="changed", id=sub.id)
    r = put_all(api, changed)
    assert r.status_code == 409
    assert "different content" in r.json()["detail"]


@pytest.mark.parametrize("token_header", [None, "Bearer wrong", "Basic abc", "Bearer "])
def test_wrong_or_missing_token_is_401_without_echo(receiver, token_header):
    headers = {"Authorization": token_header} if token_header else {}
    sub = make_idea()
    r = requests.put(f"{receiver.url}/api/v1/submissions/{sub.id}", data=sub.canonical_json(),
                     headers=headers, timeout=5)
    assert r.status_code == 401
    assert "wrong" not in r.text
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_digest_mismatch_is_422(api):
    r = api.put(f"{api.base}/blobs/{'0' * 64}", data=b"not zeros", timeout=5)
    assert r.status_code == 422
    assert r.json()["field"] == "sha256"


@pytest.mark.parametrize("bad", ["A" * 64, "a" * 63, "..%2F..%2Fetc%2Fpasswd", "%2e%2e"])
def test_blob_path_is_never_a_file_path(api, receiver_dir, bad):
    r = api.put(f"{api.base}/blobs/{bad}", data=b"x", timeout=5)
    assert r.status_code in (404, 422)
    # Nothing but what the store made at start: .tmp and the 256 empty shard directories.
    blobs = receiver_dir / "blobs"
    assert sorted(p.name for p in blobs.iterdir()) == [".tmp"] + [f"{i:02x}" for i in range(256)]
    assert [p for p in blobs.rglob("*") if not p.is_dir()] == []


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.update(text=5), "text"),
    (lambda d: d.update(colour="red"), "colour"),
    (lambda d: d.pop("topic_id"), "topic_id"),
    (lambda d: d.update(kind="poem"), "kind"),
    (lambda d: d.update(schema=99), "schema"),
    (lambda d: d.update(consent_given="yes"), "consent_given"),
    (lambda d: d.update(id="1b4e28ba-2fa1-4d2e-8f3b-1c2d3e4f5a6b"), "id"),
    (lambda d: d.update(text="Idee \ud800"), "text"),  # json.dumps escapes it; the receiver decodes it back
    (lambda d: d.update(author_name="\udfff"), "author_name"),
])
def test_invalid_content_is_422_naming_field(api, mutate, field):
    sub = make_idea()
    data = sub.to_wire()
    mutate(data)
    r = api.put(f"{api.base}/submissions/{sub.id}", data=json.dumps(data), timeout=5)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field


def test_malformed_json_is_422(api):
    r = api.put(f"{api.base}/submissions/{make_idea().id}", data=b'{"kind": ', timeout=5)
    assert r.status_code == 422 and r.json()["field"] == "(body)"


def test_bad_submission_id_is_422(api):
    r = api.put(f"{api.base}/submissions/not-a-uuid", data=b"{}", timeout=5)
    assert r.status_code == 422 and r.json()["field"] == "submission_id"


@pytest.fixture
def small_receiver(receiver_dir, token):
    limits = Limits(max_blob_bytes=2000, max_json_bytes=3000, max_text_chars=100)
    with ReceiverThread(ReceiverSettings(receiver_dir, limits)) as r:
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        s.base = r.url + "/api/v1"
        yield s


def test_limits_give_413(small_receiver):
    api = small_receiver
    big = make_png(64, 64, seed=1)
    assert len(big) > 2000
    r = api.put(f"{api.base}/blobs/{sha256_hex(big)}", data=big, timeout=5)
    assert r.status_code == 413 and r.json()["field"] == "blob"
    # The receiver closed that connection without reading the body; the session's next call works.
    assert api.get(f"{api.base}/submissions/{make_idea().id}", timeout=5).status_code == 404

    r = api.put(f"{api.base}/submissions/{make_idea().id}", data=b" " * 4000, timeout=5)
    assert r.status_code == 413
    long = make_idea(text="x" * 101)
    r = api.put(f"{api.base}/submissions/{long.id}", data=long.canonical_json(), timeout=5)
    assert r.status_code == 413 and r.json()["field"] == "text"


def test_huge_declared_body_is_refused_early(small_receiver):
    api = small_receiver
    r = api.put(f"{api.base}/blobs/{'a' * 64}", data=b"x" * 200_000, timeout=5)
    assert r.status_code == 413


def test_added_token_works_without_restart(receiver, receiver_dir):
    token2 = add_token(receiver_dir, "kiosk-2")
    assert token2 not in (receiver_dir / TOKENS_FILE).read_text()
    sub = make_idea(kiosk_id="kiosk-2")
    r = requests.put(f"{receiver.url}/api/v1/submissions/{sub.id}", data=sub.canonical_json(),
                     headers={"Authorization": f"Bearer {token2}"}, timeout=5)
    assert r.status_code == 201


def test_replaced_token_stops_working_within_the_recheck_time(receiver_dir):
    registry = TokenRegistry(receiver_dir / TOKENS_FILE, recheck_s=0.2)
    old = add_token(receiver_dir, "kiosk-3")
    assert registry.kiosk_for(old) == "kiosk-3"
    new = add_token(receiver_dir, "kiosk-3")       # replaces the old one in the file
    time.sleep(0.25)
    assert registry.kiosk_for(old) is None
    assert registry.kiosk_for(new) == "kiosk-3"
    assert registry.kiosk_for("not-a-token") is None


def test_acknowledged_survives_restart(receiver_dir, token):
    sub = make_drawing(1)
    with ReceiverThread(ReceiverSettings(receiver_dir)) as r:
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        s.base = r.url + "/api/v1"
        assert put_all(s, sub).status_code == 201
    with ReceiverThread(ReceiverSettings(receiver_dir)) as r:
        got = requests.get(f"{r.url}/api/v1/submissions/{sub.id}", headers={"Authorization": f"Bearer {token}"},
                           timeout=5)
        assert got.json()["sha256"] == sub.digest()


def test_request_log_line_has_ids_never_token(api, token, caplog):
    sub = make_idea()
    with caplog.at_level(logging.INFO, logger="sync.receiver.access"):
        put_all(api, sub)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sync.receiver.access"]
    assert {"kiosk_id": KIOSK_ID, "submission_id": sub.id, "status": 201}.items() <= lines[-1].items()
    assert lines[-1]["duration_ms"] >= 0
    assert token not in caplog.text


def test_the_old_staff_page_sends_to_the_staff_app_and_basic_auth_opens_nothing(api, receiver, staff_password):
    """/staff was an HTTP-Basic page; its bookmarks now reach the staff web app's start page (its
    sign-in first), and a Basic password opens nothing."""
    sub = make_drawing(7)
    put_all(api, sub)
    put_all(api, make_idea(text="<script>alert(1)</script>"))
    for auth in (None, ("staff", STAFF_PASSWORD)):
        first = requests.get(receiver.url + "/staff", auth=auth, timeout=5, allow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/staff/overview"
        landed = requests.get(receiver.url + "/staff", auth=auth, timeout=5)
        assert landed.status_code == 200 and "/staff/login?next=%2Fstaff%2Foverview" in landed.url
        png = sub.blob("png")
        assert requests.get(f"{receiver.url}/staff/blobs/{png.sha256}", auth=auth, timeout=5).status_code == 404
    staff = staff_session(receiver.url)
    page = staff.get(receiver.url + "/staff/items", timeout=5)
    assert page.status_code == 200 and KIOSK_ID in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert f"/staff/items/{sub.id}/drawing.png" in page.text
    img = staff.get(f"{receiver.url}/staff/items/{sub.id}/drawing.png", timeout=5)
    assert img.content == sub.blob("png").data and img.headers["content-type"] == "image/png"


def test_staff_app_keeps_a_visitors_direction_controls_inside_their_cell(api, receiver, staff_password):
    """Any client may send an unclosed U+202E (a terminal would have balanced it): on the
    page it is dropped, and visitor text sits in <bdi dir=auto> so Arabic or Hebrew cannot
    reorder the columns around it."""
    put_all(api, make_idea(text="Mehr Bänke \u202eam Markt", title="سلام Jena שלום"))
    page = staff_session(receiver.url).get(receiver.url + "/staff/items", timeout=5).text
    assert "\u202e" not in page
    assert '<bdi dir="auto">Mehr Bänke am Markt</bdi>' in page
    assert '<bdi dir="auto">سلام Jena שלום</bdi>' in page


def test_a_blob_is_hashed_once_on_put_and_trusted_after(api, receiver_dir, monkeypatch):
    """The digest check happens on PUT (422 on a mismatch); the submission does not hash again."""
    import kiosk.core.model

    sub = make_drawing(7, size=64)  # a PNG of about 12 kB of noise
    png = sub.blob("png")
    assert png.size > 5000
    bad = api.put(f"{api.base}/blobs/{png.sha256}", data=png.data[:-1] + b"\x00", timeout=5)
    assert bad.status_code == 422 and bad.json()["field"] == "sha256"
    for blob in sub.blobs:
        assert api.put(f"{api.base}/blobs/{blob.sha256}", data=blob.data, timeout=5).status_code == 201
    hashed: list[int] = []
    real = kiosk.core.model.sha256_hex
    monkeypatch.setattr(kiosk.core.model, "sha256_hex", lambda data: hashed.append(len(data)) or real(data))
    r = api.put(f"{api.base}/submissions/{sub.id}", data=sub.canonical_json(), timeout=5)
    assert r.status_code == 201, r.text
    assert r.json()["sha256"] == sub.digest()
    assert hashed and all(size < 2000 for size in hashed)  # the canonical JSON only, never a drawing's bytes


def test_store_makes_every_shard_up_front_and_copes_with_a_missing_one(tmp_path):
    """A fresh receiver has all 256 shard directories, so no blob PUT waits for a mkdir and an
    fsync of blobs/; a shard removed behind its back is made again on the next PUT."""
    from sync.receiver.storage import ReceiverStore

    store = ReceiverStore(tmp_path)
    try:
        assert all((tmp_path / "blobs" / f"{i:02x}").is_dir() for i in range(256))
        data = make_png(8, 8, seed=3)
        digest = sha256_hex(data)
        (tmp_path / "blobs" / digest[:2]).rmdir()
        assert store.put_blob(digest, data) is True
        assert (tmp_path / "blobs" / digest[:2] / digest).read_bytes() == data
        assert store.put_blob(digest, data) is False
        assert list((tmp_path / "blobs" / ".tmp").iterdir()) == []
    finally:
        store.close()
