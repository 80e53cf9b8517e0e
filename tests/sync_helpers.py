"""Helpers for the sync tests: real submissions with real PNG drawings."""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.core.model import Blob, Submission, canonical_json

KIOSK_ID = "kiosk-test-1"
STAFF_NAME = "staff"
STAFF_PASSWORD = "correct horse battery"
"""The staff web app account the ``staff_password`` fixture adds (role staff)."""


def staff_login(base: str, name: str = STAFF_NAME, password: str = STAFF_PASSWORD,
                headers: dict[str, str] | None = None):  # noqa: ANN201 - a requests.Response
    """The staff web app's sign-in, as a browser does it: the login form, then its POST with the
    form's token (double submit). The cookies are Secure and requests keeps them from plain
    HTTP, so they go as a header. A 303 is signed in; 401 wrong, 429 locked out, 503 busy."""
    import re

    import requests

    form = requests.get(base + "/staff/login", timeout=10, headers=headers)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return requests.post(base + "/staff/login", timeout=30, allow_redirects=False,
                         headers={**(headers or {}), "Cookie": f"receiver_login={form.cookies['receiver_login']}"},
                         data={"name": name, "password": password, "csrf": csrf})


def staff_session(base: str, name: str = STAFF_NAME, password: str = STAFF_PASSWORD):  # noqa: ANN201
    """A requests session signed in to the staff web app (its Secure session cookie as a header)."""
    import requests

    signed = staff_login(base, name, password)
    assert signed.status_code == 303, (signed.status_code, signed.text[:300])
    s = requests.Session()
    s.headers["Cookie"] = f"receiver_session={signed.cookies['receiver_session']}"
    return s


def make_png(width: int = 16, height: int = 12, seed: int = 0) -> bytes:
    """A real (tiny, noisy) RGB PNG, different for each seed."""
    rng = random.Random(seed)
    raw = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(width * 3)) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def make_idea(i: int = 0, **kw) -> Submission:
    fields = dict(kind="idea", topic_id="mobility", text=f"Idea number {i}: more benches ☀ äöü",
                  consent_given=True, consent_version="2024-1", kiosk_id=KIOSK_ID, event_id="fest-2024")
    fields.update(kw)
    return Submission(**fields)


def make_drawing(i: int = 0, size: int = 16, **kw) -> Submission:
    strokes = canonical_json({"strokes": [[[i, 0], [i + 1, 2]]]})
    fields = dict(kind="drawing", topic_id="playground", consent_given=True, consent_version="2024-1",
                  kiosk_id=KIOSK_ID, event_id="fest-2024",
                  blobs=(Blob("png", make_png(size, size, seed=i)), Blob("strokes", strokes)))
    fields.update(kw)
    return Submission(**fields)


def mixed_submissions(n: int) -> list[Submission]:
    return [make_drawing(i) if i % 3 == 0 else make_idea(i) for i in range(n)]


def receiver_digests(receiver_dir: Path) -> dict[str, str]:
    """id -> sha256 of every submission the receiver stored (read straight from its file)."""
    import sqlite3

    with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
        rows = db.execute("SELECT id, sha256 FROM submissions").fetchall()
    return dict(rows)


def assert_exactly_once(store, receiver_dir: Path, subs) -> None:
    """Every submission on the receiver once with the kiosk's digest; all sent, none pending."""
    got = receiver_digests(receiver_dir)
    assert got == {s.id: s.digest() for s in subs}
    for s in subs:
        state = store.sync_state(s.id)
        assert state.status == "sent", (s.id, state)
        assert state.receipt["sha256"] == s.digest()
        for b in s.blobs:
            assert (receiver_dir / "blobs" / b.sha256[:2] / b.sha256).read_bytes() == b.data
    assert store.pending_ids() == []


REPO = Path(__file__).resolve().parents[1]


@contextmanager
def old_receiver(commit: str, tmp_path: Path, kiosk_id: str) -> Iterator[tuple[str, str, dict]]:
    """The receiver of this repository at ``commit``, as a real process on 127.0.0.1: its base
    URL, a token for ``kiosk_id`` and its ``/api/v1/health`` answer. Skips in a checkout
    without that history (a shallow clone)."""
    import os
    import socket
    import subprocess
    import sys
    import tarfile
    import time

    import pytest
    import requests

    from sync.receiver import add_token

    if subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", commit], capture_output=True).returncode:
        pytest.skip(f"this checkout has no git history of the receiver at {commit}")
    old = tmp_path / f"old-{commit}"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "kiosk", "sync"],
                             capture_output=True, check=True).stdout
    (tmp_path / "old.tar").write_bytes(archive)
    with tarfile.open(tmp_path / "old.tar") as tar:
        tar.extractall(old, filter="data")
    receiver_dir = tmp_path / f"old-receiver-{commit}"
    receiver_dir.mkdir()
    token = add_token(receiver_dir, kiosk_id)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())",
                             "receiver", "--data-dir", str(receiver_dir), "--host", "127.0.0.1", "--port", str(port)],
                            env={**os.environ, "PYTHONPATH": str(old)}, cwd=old,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                health = requests.get(url + "/api/v1/health", timeout=1).json()
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            raise AssertionError(f"the receiver of {commit} did not answer on {url}")
        yield url, token, health
    finally:
        proc.terminate()
        proc.wait(10)
