"""Sync clients against the real receiver on 127.0.0.1 (the receiver and store fixtures: tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_client(store, receiver, token):  # noqa: ANN001, ANN201
    """Build clients against the receiver (or another URL); closed at the end."""
    from sync.client import SyncClient

    made = []

    def make(url: str | None = None, **kw):  # noqa: ANN202
        kw.setdefault("token", token)
        kw.setdefault("connect_timeout_s", 1.0)
        kw.setdefault("read_timeout_s", 2.0)
        c = SyncClient(kw.pop("store", store), endpoint=(url or receiver.url) + "/api/v1", **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()
