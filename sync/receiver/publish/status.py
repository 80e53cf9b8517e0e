"""The visitor's public status page: ``GET /s/<token>``, the page behind the QR code.

What the page says is decided by :func:`status_view` (pure): not arrived yet, received and
being reviewed, approved and on its way, published (with the link on each platform), or not
published (a reason category, never staff's note). The page shows no personal data (no name,
age, district) and the contribution's own title and text only once it is approved. An
unknown token looks exactly like one whose contribution has not arrived: the page reveals
nothing to a guesser, and a visitor who scans before the terminal synced is told the truth.

German by default, English by ``Accept-Language`` or the switch (``?lang=en``); the texts
are the ``status.*`` entries of the message catalogues (``assets/locale/``). Visitors' text
is balanced (:func:`kiosk.core.bidi.balance`), escaped and isolated in ``<bdi>``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.core.bidi import balance
from kiosk.core.catalogue import Catalogues
from kiosk.core.model import is_status_token
from sync.protocol import is_sha256_hex
from sync.receiver.publish.ratelimit import RateLimiter
from sync.receiver.storage import ReceiverStore

PAGE_LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
REASON_CATEGORIES = ("insulting", "personal_data", "off_topic", "spam", "duplicate", "other")
"""The reason categories a visitor may see (``sync.receiver.moderation.REASONS``); anything else
is shown as ``other``."""

NOT_ARRIVED, RECEIVED, APPROVED, PUBLISHED, NOT_PUBLISHED = (
    "not_arrived", "received", "approved", "published", "not_published")


class DecisionLike(Protocol):
    state: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class Publication:
    """Where one connector is with one contribution (a row of the outbox)."""

    connector: str
    state: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class StatusView:
    """What the status page shows."""

    key: str
    reason: str | None = None
    links: tuple[str, ...] = ()
    show_content: bool = False


def status_view(arrived: bool, decision: DecisionLike | None,
                publications: Sequence[Publication] = ()) -> StatusView:
    """The status of one contribution, from what the receiver knows of it.

    Args:
        arrived: the receiver holds the submission.
        decision: staff's current decision (None: none yet).
        publications: its outbox rows, one per connector.
    """
    if not arrived:
        return StatusView(NOT_ARRIVED)
    state = decision.state if decision is not None else "received"
    if state in ("withheld", "deleted"):
        reason = decision.reason if decision is not None and decision.reason in REASON_CATEGORIES else "other"
        return StatusView(NOT_PUBLISHED, reason=reason)
    if state != "approved":
        return StatusView(RECEIVED)
    links = tuple(p.url for p in publications if p.state == "published" and p.url and _is_web_url(p.url))
    return StatusView(PUBLISHED if links else APPROVED, links=links, show_content=True)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def pick_language(query_lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` when it names a page language, else the best of ``Accept-Language``, else German."""
    if query_lang in PAGE_LANGUAGES:
        return query_lang
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for part in (accept_language or "")[:500].split(","):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if base in PAGE_LANGUAGES and q > best_q:
            best, best_q = base, q
    return best


class StatusPages:
    """Looks a token up and renders its page.

    Args:
        store: the receiver's store (the submission, its status token, its outbox rows).
        catalogues: the message catalogues (``status.*``).
        decision_of: staff's current decision of a submission id (``Moderation.current``).
    """

    def __init__(self, store: ReceiverStore, catalogues: Catalogues,
                 decision_of: Callable[[str], DecisionLike | None]) -> None:
        self.store = store
        self.catalogues = catalogues
        self.decision_of = decision_of

    def lookup(self, token: str) -> tuple[StatusView, dict[str, Any] | None]:
        if not is_status_token(token):
            return status_view(False, None), None
        with self.store.reading() as db:
            row = db.execute("SELECT submission_id FROM status_tokens WHERE token = ?", (token,)).fetchone()
            pubs = [Publication(*r) for r in db.execute(
                "SELECT connector, state, remote_url FROM outbox WHERE submission_id = ? ORDER BY connector",
                (row[0],))] if row else []
        stored = self.store.get(row[0]) if row else None
        if stored is None:
            return status_view(False, None), None
        view = status_view(True, self.decision_of(stored.id), pubs)
        # A deleted contribution is a tombstone: its id and digest, no payload.
        return view, json.loads(stored.canonical) if stored.canonical else None

    def approved_png(self, digest: str) -> bytes | None:
        if not is_sha256_hex(digest):
            return None
        with self.store.reading() as db:
            row = db.execute("SELECT 1 FROM submission_blobs b JOIN submissions s ON s.id = b.submission_id "
                             "WHERE b.sha256 = ? AND b.role = 'png' AND s.state = 'approved' LIMIT 1",
                             (digest,)).fetchone()
        return self.store.read_blob(digest) if row else None

    def render(self, view: StatusView, data: dict[str, Any] | None, lang: str) -> str:
        t = self.catalogues.text
        esc = html.escape
        body = [f'<h1>{esc(t("status.heading." + view.key, lang))}</h1>',
                f'<p class="state state-{view.key}">{esc(t("status.body." + view.key, lang))}</p>']
        if view.reason:
            body.append(f'<p class="reason">{esc(t("status.reason", lang))}: '
                        f'{esc(t("status.reason." + view.reason, lang))}</p>')
        for url in view.links:
            label = self.catalogues.format("status.link", lang, site=urlsplit(url).netloc)
            body.append(f'<p><a class="platform" href="{esc(url)}" rel="noreferrer noopener">{esc(label)}</a></p>')
        if data is not None:
            body.append(f'<p class="code">{esc(t("status.code", lang))}: <code>{esc(data.get("reference_code", ""))}'
                        "</code></p>")
        if view.show_content and data is not None:
            title, text = data.get("title") or "", data.get("text") or ""
            parts = [f"<h2><bdi>{esc(balance(title))}</bdi></h2>" if title else "",
                     f'<p class="text"><bdi>{esc(balance(text))}</bdi></p>' if text else ""]
            if any(parts):
                body.append(f'<section aria-label="{esc(t("status.content", lang))}">{"".join(parts)}</section>')
        body.append(f'<p class="note">{esc(t("status.privacy", lang))}</p>')
        return self.page(lang, "".join(body))

    def page(self, lang: str, body: str) -> str:
        esc = html.escape
        switch = " · ".join(
            f'<a href="?lang={code}" hreflang="{code}" lang="{code}">{esc(self.catalogues.name(code))}</a>'
            for code in PAGE_LANGUAGES if code != lang)
        return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">'
                f'<title>{esc(self.catalogues.text("status.title", lang))}</title><style>{_CSS}</style></head>'
                f'<body><nav class="lang">{switch}</nav><main>{body}</main></body></html>')


_CSS = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;"
        "color:#1d1d1f;background:#f6f4ef}nav.lang{text-align:end}h1{font-size:1.6rem}"
        "a.platform{display:inline-block;padding:.6rem 1rem;background:#004a87;color:#fff;border-radius:.4rem;"
        "text-decoration:none}.text{white-space:pre-wrap;overflow-wrap:anywhere}.note{color:#555;font-size:.9rem}")

_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}


def status_router(pages: StatusPages, limiter: RateLimiter) -> APIRouter:
    """The public ``GET /s/{token}`` route (no sign-in: the token is the key)."""
    router = APIRouter()

    @router.get("/s/{token}", response_class=HTMLResponse)
    async def status_page(request: Request, token: str) -> HTMLResponse:
        lang = pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))
        wait = limiter.check(request.client.host if request.client else "unknown")
        if wait:
            body = (f'<h1>{html.escape(pages.catalogues.text("status.heading.limited", lang))}</h1>'
                    f'<p>{html.escape(pages.catalogues.text("status.body.limited", lang))}</p>')
            return HTMLResponse(pages.page(lang, body), status_code=429,
                                headers={**_HEADERS, "Retry-After": str(wait)})
        view, data = await run_in_threadpool(pages.lookup, token)
        return HTMLResponse(pages.render(view, data, lang), headers={**_HEADERS, "Content-Language": lang})

    @router.get("/p/{digest}")
    async def published_drawing(request: Request, digest: str) -> Response:
        """The PNG of an approved drawing (the webhook's ``drawing_url``); 404 for anything else."""
        if limiter.check(request.client.host if request.client else "unknown"):
            return Response(status_code=429, headers={"Retry-After": "60"})
        data = await run_in_threadpool(pages.approved_png, digest)
        if data is None:
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        return Response(data, media_type="image/png", headers={"Cache-Control": "public, max-age=3600",
                                                                "X-Content-Type-Options": "nosniff"})

    return router
