"""Puts the publication parts into the receiver app: the public status pages (and the outbox)."""

from __future__ import annotations

from fastapi import FastAPI

from kiosk.core.catalogue import Catalogues
from sync.receiver.moderation import Moderation
from sync.receiver.publish.ratelimit import RateLimiter
from sync.receiver.publish.status import DEFAULT_LANGUAGE, StatusPages, status_router
from sync.receiver.storage import ReceiverStore


def add_publication(app: FastAPI, store: ReceiverStore, moderation: Moderation) -> StatusPages:
    """Mount the public ``/s/<token>`` pages on *app*, reading staff's decisions from *moderation*."""
    pages = StatusPages(store, Catalogues(fallback=DEFAULT_LANGUAGE), decision_of=moderation.current)
    app.include_router(status_router(pages, RateLimiter()))
    app.state.status_pages = pages
    return pages
