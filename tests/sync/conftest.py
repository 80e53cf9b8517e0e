"""Fixtures for the sync tests: a real receiver on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from sync.protocol import Limits
from sync.receiver import ReceiverSettings, ReceiverThread, add_token, set_staff_password

from sync_helpers import KIOSK_ID, STAFF_PASSWORD


@pytest.fixture
def receiver_dir(tmp_path: Path) -> Path:
    d = tmp_path / "receiver"
    d.mkdir()
    return d


@pytest.fixture
def token(receiver_dir: Path) -> str:
    return add_token(receiver_dir, KIOSK_ID)


@pytest.fixture
def receiver_limits() -> Limits:
    return Limits()


@pytest.fixture
def receiver(receiver_dir: Path, token: str, receiver_limits: Limits):
    with ReceiverThread(ReceiverSettings(receiver_dir, receiver_limits)) as r:
        yield r


@pytest.fixture
def staff_password(receiver_dir: Path) -> str:
    set_staff_password(receiver_dir, STAFF_PASSWORD)  # argon2: slow on purpose, so only where needed
    return STAFF_PASSWORD


@pytest.fixture
def api(receiver, token):
    """A requests session that talks to the receiver as the test kiosk."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    s.base = receiver.url + "/api/v1"  # type: ignore[attr-defined]
    yield s
    s.close()


@pytest.fixture
def kiosk_dir(tmp_path: Path) -> Path:
    d = tmp_path / "kiosk"
    d.mkdir()
    return d


@pytest.fixture
def store(kiosk_dir: Path):
    from kiosk.core.storage import Store

    s = Store.open_in(kiosk_dir)
    yield s
    s.close()


@pytest.fixture
def make_client(store, receiver, token):
    """Build clients against the receiver (or another URL); closed at the end."""
    from sync.client import SyncClient

    made = []

    def make(url: str | None = None, **kw):
        kw.setdefault("token", token)
        kw.setdefault("connect_timeout_s", 1.0)
        kw.setdefault("read_timeout_s", 2.0)
        c = SyncClient(kw.pop("store", store), endpoint=(url or receiver.url) + "/api/v1", **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()
