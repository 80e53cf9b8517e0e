"""Puts the publication parts into the receiver app: the public status pages, the outbox and
its connectors (from ``receiver.toml``), and the thread that publishes."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI

from kiosk.core.catalogue import Catalogues
from sync.receiver.moderation import Moderation
from sync.receiver.publish.config import PublishConfig, load_publish_config
from sync.receiver.publish.connectors import build_connectors
from sync.receiver.publish.outbox import Outbox
from sync.receiver.publish.ratelimit import RateLimiter
from sync.receiver.publish.status import DEFAULT_LANGUAGE, StatusPages, status_router
from sync.receiver.publish.worker import PublishWorker
from sync.receiver.storage import ReceiverStore

log = logging.getLogger("sync.receiver.outbox")


def add_publication(app: FastAPI, store: ReceiverStore, moderation: Moderation,
                    config: PublishConfig | None = None) -> StatusPages:
    """Mount the public ``/s/<token>`` pages on *app*, and start publishing what is approved.

    Raises:
        PublishConfigError: ``receiver.toml`` is wrong (the receiver does not start).
    """
    config = config or load_publish_config(Path(store.data_dir))
    pages = StatusPages(store, Catalogues(fallback=DEFAULT_LANGUAGE), decision_of=moderation.current)
    app.include_router(status_router(pages, RateLimiter()))
    app.state.status_pages = pages
    base = config.public_url
    outbox = Outbox(store, build_connectors(config), max_attempts=config.max_attempts,
                    drawing_url=(lambda digest: f"{base}/p/{digest}") if base else (lambda _d: None))
    app.state.outbox = outbox
    moderation.on_decision(outbox.on_decision)
    worker = PublishWorker(outbox, moderation, auto_approve_events=config.auto_approve_events,
                           interval_s=config.interval_s)
    moderation.on_decision(lambda _decision: worker.wake())
    app.state.publisher = worker
    if outbox.connectors or config.auto_approve_events:
        worker.start()
        log.info("publishing through %s", ", ".join(outbox.connectors) or "no connector")
    return pages
