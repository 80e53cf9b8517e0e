"""Puts the publication parts into the receiver app: the public status pages (and the outbox)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kiosk.core.catalogue import Catalogues
from sync.receiver.publish.db import PublishDb
from sync.receiver.publish.ratelimit import RateLimiter
from sync.receiver.publish.status import DEFAULT_LANGUAGE, StatusPages, status_router
from sync.receiver.storage import ReceiverStore


def add_publication(app: FastAPI, store: ReceiverStore, data_dir: Path) -> StatusPages:
    """Mount ``/s/<token>`` on *app*; returns the pages (their ``decision_of`` is replaced
    once staff moderation exists in this receiver)."""
    db = PublishDb(data_dir)
    pages = StatusPages(store, db, Catalogues(fallback=DEFAULT_LANGUAGE), decision_of=lambda _sid: None)
    app.include_router(status_router(pages, RateLimiter()))
    app.state.status_pages = pages
    app.state.publish_db = db
    return pages
