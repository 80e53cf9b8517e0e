"""Puts the publication parts into the receiver app: the public status pages, the outbox and
its connectors (from ``receiver.toml``), and the thread that publishes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool

from kiosk.core.catalogue import Catalogues
from sync.receiver.moderation import Moderation
from sync.receiver.publish.config import PublishConfig, load_publish_config
from sync.receiver.publish.connectors import build_connectors
from sync.receiver.publish.outbox import Outbox
from sync.receiver.publish.ratelimit import RateLimiter
from sync.receiver.publish.staff_pages import StaffGate, outbox_router
from sync.receiver.publish.status import DEFAULT_LANGUAGE, StatusPages, status_router
from sync.receiver.publish.worker import PublishWorker
from sync.receiver.storage import ReceiverStore
from sync.receiver.web.accounts import Accounts
from sync.receiver.web.sessions import COOKIE, Sessions, csrf_ok

log = logging.getLogger("sync.receiver.outbox")


def staff_gate(sessions: Sessions, accounts: Accounts) -> StaffGate:
    """The staff app's sign-in and CSRF token, for the outbox pages."""

    def session_of(request: Request) -> Any:
        session = sessions.get(request.cookies.get(COOKIE))
        return session if session is not None and accounts.get(session.account) is not None else None

    async def account(request: Request) -> str | None:
        session = await run_in_threadpool(session_of, request)
        return session.account if session else None

    async def csrf(request: Request) -> str:
        session = await run_in_threadpool(session_of, request)
        return session.csrf if session else ""

    async def ok(request: Request, given: str | None) -> bool:
        return csrf_ok(await run_in_threadpool(session_of, request), given)

    return StaffGate(account, csrf, ok)


def add_publication(app: FastAPI, store: ReceiverStore, moderation: Moderation, gate: StaffGate | None = None,
                    config: PublishConfig | None = None,
                    topic_title: Callable[[str, str], str] = lambda tid, _lang: tid) -> StatusPages:
    """Mount the public ``/s/<token>`` pages on *app*, and start publishing what is approved.

    Raises:
        PublishConfigError: ``receiver.toml`` is wrong (the receiver does not start).
    """
    config = config or load_publish_config(Path(store.data_dir))
    catalogues = Catalogues(fallback=DEFAULT_LANGUAGE)
    pages = StatusPages(store, catalogues, decision_of=moderation.current)
    app.include_router(status_router(pages, RateLimiter()))
    app.state.status_pages = pages
    base = config.public_url
    outbox = Outbox(store, build_connectors(config, topic_title), max_attempts=config.max_attempts,
                    drawing_url=(lambda digest: f"{base}/p/{digest}") if base else (lambda _d: None))
    app.state.outbox = outbox
    if gate is not None:
        app.include_router(outbox_router(outbox, gate, catalogues, topic_title))
    moderation.on_decision(outbox.on_decision)
    worker = PublishWorker(outbox, moderation, auto_approve_events=config.auto_approve_events,
                           interval_s=config.interval_s)
    moderation.on_decision(lambda _decision: worker.wake())
    app.state.publisher = worker
    if outbox.connectors or config.auto_approve_events:
        worker.start()
        log.info("publishing through %s", ", ".join(outbox.connectors) or "no connector")
    if "consul_api" in outbox.connectors:
        log.warning("connectors.consul_api follows CONSUL's planned REST API (consuldemocracy #6516, #6529), "
                    "which is not released and may change: check it against your CONSUL first")
    return pages
