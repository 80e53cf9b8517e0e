"""The receiver's HTTP API (FastAPI): health, blobs, submissions, heartbeats, and the staff web app.

See ``docs/sync-protocol.md`` for the contract. Every handler keeps paths
out of URLs: a blob is addressed by a checked 64-hex digest, a submission by
a checked UUID4, and nothing else from a request reaches the file system.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

import kiosk
from kiosk.core.config.sections import BrandingConfig
from kiosk.core.model import OPTIONAL_WIRE_FIELDS, SchemaError, sha256_hex, submission_from_wire, wire_blob_digests
from sync.protocol import (API_PREFIX, PROTOCOL_VERSION, Limits, error_body, is_sha256_hex,
                           is_uuid4, text_over_limit)
from sync.receiver.auth import TOKENS_FILE, TokenRegistry
from sync.receiver.errors import ApiError
from sync.receiver.heartbeat import MAX_BODY_BYTES as HEARTBEAT_MAX_BYTES
from sync.receiver.heartbeat import HeartbeatError, parse_heartbeat, record_heartbeat
from sync.receiver.moderation import Moderation
from sync.receiver.framing import FramingGuard, HttpMiddleware
from sync.receiver.login_limiter import LimiterSettings, LoginLimiter
from sync.receiver.web.accounts import ACCOUNTS_FILE, Accounts, Credentials
from sync.receiver.storage import BlobDigestMismatch, Conflict, ReceiverStore
from sync.receiver.web.sessions import SessionSettings

access_log = logging.getLogger("sync.receiver.access")
log = logging.getLogger("sync.receiver")


@dataclass(frozen=True, slots=True)
class ReceiverSettings:
    data_dir: Path
    limits: Limits = field(default_factory=Limits)
    name: str = "receiver"
    """The ``kiosk_id`` in the manifest of the staff's bundle download (the receiver is not a kiosk)."""
    titles_from: Path | None = None
    """A kiosk.toml whose topic and goal titles label the bundle's ``ideas.csv`` (else ids only)."""
    login: LimiterSettings = field(default_factory=LimiterSettings)
    """How staff password checks are bounded and throttled (``sync.receiver.login_limiter``)."""
    timezone: str | None = None
    """The staff app's times are shown in this zone (``Europe/Berlin``); None: the machine's."""
    sessions: SessionSettings = field(default_factory=SessionSettings)
    """Sign-in sessions of the staff app (idle and absolute expiry, Secure cookie)."""


async def _read_body(request: Request, limit: int, what: str) -> bytes:
    """The request body, or ApiError 413 as soon as it is known to be larger than *limit* bytes:
    from its declared length before a byte of it is read, else when the bytes read pass it.
    The connection is closed then (``sync.receiver.framing``), so the rest is never read."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"{what} is {declared} bytes; the limit is {limit}", what)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"{what} is over the limit of {limit} bytes", what)
        chunks.append(chunk)
    return b"".join(chunks)


class AccessLogMiddleware(HttpMiddleware):
    """One structured line per request: method, path, status, duration, kiosk and submission id.

    Headers are never logged, so the bearer token never reaches the log.
    """

    async def handle(self, scope: dict, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        scope["receiver.t0"] = start  # the staff app's Server-Timing header
        note: dict[str, Any] = {}
        scope["receiver.log"] = note
        status = [0]
        logged = [False]

        def log_line() -> None:
            logged[0] = True
            if not access_log.isEnabledFor(logging.INFO):
                return  # nobody reads it: skip building the JSON (three requests per drawing)
            path = scope.get("path", "")
            sub_id = path.rsplit("/", 1)[-1] if path.startswith(API_PREFIX + "/submissions/") else None
            access_log.info(json.dumps({
                "event": "request", "method": scope.get("method"), "path": path[:200],
                "status": status[0], "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                "kiosk_id": note.get("kiosk_id"), "submission_id": sub_id if is_uuid4(sub_id) else None,
            }, separators=(",", ":")))

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body") and not logged[0]:
                log_line()  # before the last bytes go out: the line exists when the client has its answer
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if not logged[0]:
                log_line()


def create_app(settings: ReceiverSettings) -> FastAPI:
    """Build the receiver app over the data dir in *settings* (created if missing)."""
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = ReceiverStore(data_dir)
    tokens = TokenRegistry(data_dir / TOKENS_FILE)
    accounts = Accounts(data_dir / ACCOUNTS_FILE)
    credentials = Credentials(accounts)
    # Every password check (the staff app's sign-in) goes through this one limiter: one bound on
    # argon2's memory and one throttle per client (issue #14).
    limiter = LoginLimiter(credentials.verify, settings=settings.login)
    limits = settings.limits

    # Disk work (hashing, fsync, SQLite) runs on this pool, off the event loop. A plain
    # executor costs the loop about 0.2 ms less per request than Starlette's
    # run_in_threadpool (anyio's limiter and cancel scopes), and every drawing is three
    # requests; nothing here needs what those add (the calls are short and not cancelled).
    executor = ThreadPoolExecutor(thread_name_prefix="receiver-store")
    # The staff app's page reads (session check, then the page's rows) on one thread of their
    # own: they queue on the store's lock anyway, and one warm thread answers sooner than
    # whichever of the pool's wakes up.
    page_reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receiver-pages")

    async def in_page_thread(func: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(page_reader, functools.partial(func, *args))

    async def in_thread(func: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(func, *args))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            publisher = getattr(app.state, "publisher", None)
            if publisher is not None:
                publisher.stop()
            executor.shutdown(wait=True)
            page_reader.shutdown(wait=True)
            limiter.close()

    app = FastAPI(title="Smart-City-Fest receiver", version=kiosk.__version__,
                  docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.limits = limits
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(FramingGuard)  # added last: the outermost, it sees every request first

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, exc.field), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(ClientDisconnect)
    async def _client_gone(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # A kiosk on bad Wi-Fi drops connections mid-upload all the time: one line, no traceback.
        # Nothing was stored (a body is stored only once it is whole); the kiosk sends it again.
        log.info("client went away before its request body was complete: %s %s", request.method,
                 request.url.path[:200])
        return JSONResponse(error_body("the connection closed before the body was complete", "(body)"),
                            status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        loc = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return JSONResponse(error_body(first.get("msg", "invalid request"), loc), status_code=422)

    def authenticate(request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        kiosk_id = tokens.kiosk_for(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if kiosk_id is None:
            raise ApiError(401, "missing or unknown kiosk token", "Authorization",
                           headers={"WWW-Authenticate": 'Bearer realm="receiver"'})
        request.scope.get("receiver.log", {})["kiosk_id"] = kiosk_id
        return kiosk_id

    # The API routes are plain Starlette routes on the FastAPI app: they read raw bodies and
    # check every parameter themselves, so FastAPI's per-request dependency solving and
    # parameter validation would add nothing but about 0.2 ms of event-loop time per call
    # (measured), and every drawing is three calls. Errors still go through the handlers above.
    def api_route(path: str, method: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            app.add_route(API_PREFIX + path, endpoint, methods=[method], include_in_schema=False)
            return endpoint
        return register

    health_body = {"status": "ok", "protocol": PROTOCOL_VERSION, "version": kiosk.__version__,
                   "optional_fields": sorted(OPTIONAL_WIRE_FIELDS),
                   "limits": {"max_blob_bytes": limits.max_blob_bytes,
                              "max_json_bytes": limits.max_json_bytes,
                              "max_text_chars": limits.max_text_chars}}

    @api_route("/health", "GET")
    async def health(request: Request) -> JSONResponse:
        return JSONResponse(health_body)

    @api_route("/blobs/{sha256}", "PUT")
    async def put_blob(request: Request) -> JSONResponse:
        authenticate(request)
        sha256 = request.path_params["sha256"]
        if not is_sha256_hex(sha256):
            raise ApiError(422, "must be 64 lowercase hex characters", "sha256")
        data = await _read_body(request, limits.max_blob_bytes, "blob")
        try:
            created = await in_thread(store.put_blob, sha256, data)
        except BlobDigestMismatch:
            raise ApiError(422, f"the bytes sent hash to {_sha(data)}, not to the digest in the URL",
                           "sha256") from None
        return JSONResponse({"sha256": sha256, "size": len(data), "status": "created" if created else "exists"},
                            status_code=201 if created else 200)

    @api_route("/submissions/{submission_id}", "PUT")
    async def put_submission(request: Request) -> JSONResponse:
        kiosk_id = authenticate(request)
        submission_id = request.path_params["submission_id"]
        if not is_uuid4(submission_id):
            raise ApiError(422, "must be a lowercase UUID4", "submission_id")
        body = await _read_body(request, limits.max_json_bytes, "submission JSON")
        receipt, created = await in_thread(_store_submission, store, limits, submission_id, body, kiosk_id)
        return JSONResponse(receipt, status_code=201 if created else 200)

    @api_route("/submissions/{submission_id}", "GET")
    async def get_submission(request: Request) -> JSONResponse:
        authenticate(request)
        submission_id = request.path_params["submission_id"]
        if not is_uuid4(submission_id):
            raise ApiError(422, "must be a lowercase UUID4", "submission_id")
        receipt = await in_thread(store.receipt, submission_id)
        if receipt is None:
            raise ApiError(404, "no such submission", "submission_id")
        return JSONResponse(receipt)

    @api_route("/heartbeat", "POST")
    async def heartbeat(request: Request) -> JSONResponse:
        kiosk_id = authenticate(request)
        body = await _read_body(request, HEARTBEAT_MAX_BYTES, "heartbeat JSON")
        try:
            beat = parse_heartbeat(json.loads(body), kiosk_id)
        except (ValueError, RecursionError) as exc:
            field_name = exc.field if isinstance(exc, HeartbeatError) else "(body)"
            raise ApiError(422, str(exc)[:200] if isinstance(exc, HeartbeatError) else "malformed JSON",
                           field_name) from None
        return JSONResponse(await in_thread(record_heartbeat, store, kiosk_id, beat))

    from sync.receiver.bundle_export import export_tmp_dir, is_slug, load_config_of, load_titles
    if not is_slug(settings.name):
        raise ValueError(f"receiver name {settings.name!r}: use letters, digits, '.', '_' or '-' "
                         "(it goes into file names)")
    titles = load_titles(settings.titles_from)
    from sync.receiver.web.pages import Web, add_web_routes
    from sync.receiver.web.sessions import Sessions
    from sync.receiver.web.text import WebText

    config = load_config_of(settings.titles_from)
    moderation = Moderation(store)
    app.state.moderation = moderation
    add_web_routes(app, Web(store=store, moderation=moderation, accounts=accounts,
                            sessions=Sessions(store, settings.sessions), limiter=limiter,
                            text=WebText(settings.timezone), titles=titles,
                            branding=config.branding if config else BrandingConfig(), name=settings.name,
                            tmp_dir=export_tmp_dir(data_dir), run=in_thread, read=in_page_thread,
                            drawing_topic=config.flows.drawing_topic if config else "drawing"))
    from sync.receiver.publish.wiring import add_publication  # the status pages (and the outbox)
    from sync.receiver.publish.wiring import staff_gate
    add_publication(app, store, moderation, staff_gate(Sessions(store, settings.sessions), accounts),
                    topic_title=lambda tid, lang: titles.topic(tid, lang) or titles.topic(tid, "de") or tid)
    return app


def _sha(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def _store_submission(store: ReceiverStore, limits: Limits, submission_id: str, body: bytes,
                      delivered_by: str) -> tuple[dict[str, Any], bool]:
    """Validate one submission's JSON and store it; raises ApiError with the field at fault."""
    try:
        data = json.loads(body)
    except ValueError as exc:  # also UnicodeDecodeError, and an integer of more than 4300 digits
        raise ApiError(422, f"malformed JSON ({str(exc)[:200]})", "(body)") from None
    except RecursionError:
        raise ApiError(422, "malformed JSON (nested too deeply)", "(body)") from None
    if not isinstance(data, dict):
        raise ApiError(422, "must be a JSON object", "(body)")
    too_long = text_over_limit(data, limits)
    if too_long:
        raise ApiError(413, f"longer than {limits.max_text_chars} characters", too_long)
    if data.get("id") != submission_id:
        raise ApiError(422, "does not match the id in the URL", "id")
    if data.get("kiosk_id") != delivered_by:
        raise ApiError(422, f"is not the kiosk of this token ({delivered_by}); each kiosk delivers with "
                            "its own token (kiosk receiver add-token KIOSK_ID)", "kiosk_id")
    try:
        digests = wire_blob_digests(data)
        blobs = {d: b for d in set(digests) if (b := store.read_blob(d)) is not None}
        # Every stored blob was hashed and compared on its PUT (a mismatch is 422 there) and
        # written under its digest atomically, so it is not hashed a second time here.
        sub = submission_from_wire(data, blobs, verified=blobs.keys())
    except SchemaError as exc:
        raise ApiError(422, str(exc).partition(": ")[2] or str(exc), exc.field) from None
    except (TypeError, ValueError, KeyError) as exc:
        raise ApiError(422, f"invalid content ({exc})", "(body)") from None
    canonical = sub.canonical_json()
    digest = sha256_hex(canonical)  # of the bytes stored, serialised once
    try:
        return store.put_submission(
            submission_id=sub.id, sha256=digest, canonical=canonical, kind=sub.kind,
            kiosk_id=sub.kiosk_id, event_id=sub.event_id, created_at=sub.created_at,
            delivered_by=delivered_by,
            blobs=[(b.role, b.sha256, b.media_type) for b in sub.blobs], topic_id=sub.topic_id)
    except Conflict as exc:
        raise ApiError(409, f"submission {submission_id} already exists with different content "
                            f"(stored sha256 {exc.stored_sha256}, sent {digest})", "id") from None
