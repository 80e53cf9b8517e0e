"""The kiosk's sync client: delivers pending submissions to the receiver, exactly once.

For each pending submission: PUT every blob (content-addressed), then PUT the
submission (keyed by its UUID), then check the receipt: the submission is
marked sent only when the receiver's digest equals :meth:`Submission.digest`.
Every call is an idempotent PUT, so a retry after any failure (a cut
connection, a kill between the answer and ``mark_sent``) is harmless: the
receiver answers 200 with the receipt it already has.

Errors are sorted by :func:`sync.protocol.classify_status`: transient ones end
the pass (the worker backs off and tries again), auth errors stop everything
until staff fix the token, permanent ones mark that submission failed with
the receiver's reason and the pass goes on. Nothing is ever deleted.

This module does not know about threads or Qt; :mod:`sync.worker` runs it in
the background, ``kiosk sync`` in the foreground.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

import kiosk
from kiosk.core.model import OPTIONAL_WIRE_FIELDS, Submission, sha256_hex, without_optional_fields
from sync.protocol import (API_PREFIX, PROTOCOL_VERSION, Outcome, ReceiptError, blob_path,
                           check_endpoint, check_receipt, classify_status, error_reason,
                           parse_retry_after, submission_path)

if TYPE_CHECKING:
    from kiosk.core.storage import Outgoing

log = logging.getLogger("sync.client")

PAUSE_ENV = "KIOSK_SYNC_PAUSE_AT"
HEARTBEAT_RETRY_UNSUPPORTED_S = 3600.0
"""A receiver that has no heartbeat endpoint (an older one) is asked again after this long."""
"""Test hook: ``point`` or ``point@N`` makes the client announce the N-th arrival at
*point* on stderr (``SYNC-PAUSE point id``) and then sleep, so a test can kill it
there. Points: before_blob_put, after_blob_put, after_submission_put (answer
received, receipt not yet recorded), after_mark_sent."""

WINDOW_FACTOR = 2
"""Submissions in the window at most per upload thread: finished ones wait, in order,
for the oldest to be recorded (by id only: their blobs are not held meanwhile)."""

PAUSE_POINTS = ("before_blob_put", "after_blob_put", "after_submission_put", "after_mark_sent")


class SyncConfigError(Exception):
    """The sync configuration cannot work (endpoint, token file); staff must fix it."""


class StoreLike(Protocol):
    """The part of :class:`kiosk.core.storage.Store` the client uses."""

    def outgoing(self, submission_id: str) -> Outgoing | None: ...
    def pending_ids(self, limit: int = 100) -> list[str]: ...
    def record_attempt(self, submission_id: str, error: str | None) -> None: ...
    def mark_sent(self, submission_id: str, receipt: dict) -> None: ...
    def mark_sent_many(self, receipts: Sequence[tuple[str, dict]]) -> None: ...
    def mark_failed(self, submission_id: str, reason: str) -> None: ...
    def stats(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What happened to one submission (or to the call that stopped it)."""

    outcome: Outcome
    reason: str = ""
    status: int | None = None
    retry_after: float | None = None
    created: bool = False     # the receiver had not seen it before (201)
    skipped: bool = False     # no longer pending when its turn came (withheld by staff, say)


@dataclass
class SyncReport:
    """The summary of one pass over the pending submissions."""

    delivered: int = 0                  # new on the receiver
    already_there: int = 0              # the receiver had it already (a retry after a cut answer)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (id, reason), this pass
    remaining: int = 0                  # still pending after the pass
    stopped_by: Outcome | None = None   # TRANSIENT, AUTH or UNEXPECTED when the pass ended early
    error: str | None = None            # plain words for staff
    retry_after: float | None = None    # the receiver asked to wait this long

    @property
    def done(self) -> int:
        return self.delivered + self.already_there + len(self.failed)


def read_token(path: Path) -> str:
    """The bearer token in *path* (first non-empty line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SyncConfigError(f"the token file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SyncConfigError(f"the token file {path} cannot be read: {exc}") from None
    token = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not token:
        raise SyncConfigError(f"the token file {path} is empty")
    return token


def resolve_token_file(token_file: str, data_dir: Path | None) -> Path:
    """``token_file`` with ``~`` expanded; a relative path is taken inside the data dir."""
    path = Path(token_file).expanduser()
    if not path.is_absolute() and data_dir is not None:
        path = Path(data_dir) / path
    return path


def make_session(*, ca_bundle: str = "", pool_size: int = 2) -> requests.Session:
    """A session with TLS verification on and connection-level retries.

    urllib3 retries only what is safe: failed connects, and reads of our
    idempotent GET/PUT calls. Status codes are left to the client, which
    honours ``Retry-After`` and backs off across passes.
    """
    session = requests.Session()
    retry = Retry(total=3, connect=2, read=1, status=0, other=0, redirect=0,
                  allowed_methods=frozenset({"GET", "PUT"}), backoff_factor=0.1,
                  raise_on_status=False, raise_on_redirect=False, respect_retry_after_header=False)
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=pool_size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.verify = ca_bundle or True
    session.trust_env = False  # no proxy or netrc from the environment: the kiosk talks to its receiver only
    session.headers["User-Agent"] = f"smart-city-kiosk/{kiosk.__version__} sync/{PROTOCOL_VERSION}"
    return session


def _env_pause_hook() -> Callable[[str, str], None] | None:
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return None
    point, _, nth = spec.partition("@")
    target = int(nth or 1)
    seen = [0]

    def hook(at: str, submission_id: str) -> None:
        if at != point:
            return
        seen[0] += 1
        if seen[0] == target:
            print(f"SYNC-PAUSE {at} {submission_id}", file=sys.stderr, flush=True)
            time.sleep(3600)

    return hook


class SyncClient:
    """Delivers a store's pending submissions to one receiver.

    Args:
        store: the kiosk's store (this thread's own connection).
        endpoint: the receiver's URL, e.g. ``https://host/api/v1``.
        token: the kiosk's bearer token, or a callable that reads it (called once per pass,
            so a corrected token file is picked up without a restart).
        connect_timeout_s / read_timeout_s: passed on every call.
        ca_bundle: a CA bundle for TLS verification (empty: the system's).
        allow_plain_http: permit ``http://`` to a non-loopback host (closed networks).
        session: a ready session (tests, benchmarks); by default :func:`make_session`.
        parallel: submissions in flight at once (HTTP only; the store stays on the caller's
            thread). Several in flight overlap round trips and the receiver's fsyncs.
        pause_hook: called at named points (see :data:`PAUSE_POINTS`); default from
            :data:`PAUSE_ENV`.

    Raises:
        SyncConfigError: the endpoint is not acceptable.
    """

    def __init__(self, store: StoreLike, *, endpoint: str, token: str | Callable[[], str],
                 connect_timeout_s: float = 5.0, read_timeout_s: float = 20.0, ca_bundle: str = "",
                 allow_plain_http: bool = False, session: requests.Session | None = None,
                 pause_hook: Callable[[str, str], None] | None = None, parallel: int = 4) -> None:
        try:
            self.root = check_endpoint(endpoint, allow_plain_http=allow_plain_http)
        except ValueError as exc:
            raise SyncConfigError(str(exc)) from None
        self.store = store
        self.parallel = max(1, parallel)
        self._token = token
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.session = session or make_session(ca_bundle=ca_bundle, pool_size=self.parallel + 1)
        self._own_session = session is None
        self._pause = pause_hook or _env_pause_hook() or (lambda at, sid: None)
        self._auth_header = ""
        self._template: requests.PreparedRequest | None = None
        self.limits: dict[str, int] = {}
        self._heartbeat_unsupported_until = 0.0
        self.optional_fields: frozenset[str] = frozenset()
        """The optional wire fields the receiver announced in its health answer (``status_token``,
        ``platform_item``); a receiver that predates one is sent each submission without it."""

    @classmethod
    def from_config(cls, store: StoreLike, config: Any, data_dir: Path | None = None,
                    **kwargs: Any) -> SyncClient:
        """Build from a :class:`kiosk.core.config.SyncConfig` (or anything with its fields)."""
        if not config.endpoint:
            raise SyncConfigError("no sync endpoint is configured ([sync] endpoint)")
        if not config.token_file:
            raise SyncConfigError("no token file is configured ([sync] token_file)")
        path = resolve_token_file(config.token_file, data_dir)
        return cls(store, endpoint=config.endpoint, token=lambda: read_token(path),
                   connect_timeout_s=config.connect_timeout_s, read_timeout_s=config.read_timeout_s,
                   ca_bundle=config.ca_bundle, allow_plain_http=config.allow_plain_http, **kwargs)

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    # ------------------------------------------------------------- transport
    def _prepared(self, method: str, path: str, body: bytes | None, content_type: str) -> requests.PreparedRequest:
        """The request ready to send: a copy of this pass's template with method, URL and body set.

        ``Session.request`` would merge the session's settings into a new request and
        look at the environment on every call; for thousands of small PUTs that was a
        third of the kiosk's CPU per call. The template carries the merged headers
        (User-Agent, Authorization) and its root URL is prepared once; *path* is built
        from a checked digest or UUID only, so it needs no quoting.
        """
        template = self._template
        if template is None or template.headers.get("Authorization") != self._auth_header:
            template = self.session.prepare_request(
                requests.Request("GET", self.root, headers={"Authorization": self._auth_header}))
            template.url = template.url.rstrip("/")
            self._template = template
        req = template.copy()
        req.method = method
        req.url = template.url + path
        if content_type:
            req.headers["Content-Type"] = content_type
        req.body = body
        req.prepare_content_length(body)
        return req

    def _request(self, method: str, path: str, body: bytes | None = None,
                 content_type: str = "") -> tuple[requests.Response | None, ItemResult | None]:
        """One call; returns the response, or the classified failure when there was none."""
        try:
            resp = self.session.send(self._prepared(method, path, body, content_type),
                                     timeout=self.timeout, allow_redirects=False, stream=False,
                                     verify=self.session.verify, cert=self.session.cert,
                                     proxies=self.session.proxies)
            resp.content  # read the whole body here, inside the try  # noqa: B018
        except requests.exceptions.SSLError as exc:
            return None, ItemResult(Outcome.UNEXPECTED, f"the receiver's TLS certificate could not be verified ({_short(exc)})")
        except requests.exceptions.Timeout:
            return None, ItemResult(Outcome.TRANSIENT, "the receiver did not answer in time")
        except requests.exceptions.RequestException as exc:
            return None, ItemResult(Outcome.TRANSIENT, f"cannot reach the receiver ({_short(exc)})")
        return resp, None

    def _failure(self, resp: requests.Response, what: str) -> ItemResult:
        outcome = classify_status(resp.status_code)
        try:
            body = resp.json()
        except ValueError:
            body = None
        reason = error_reason(resp.status_code, body)
        if outcome is Outcome.AUTH:
            reason = (f"the receiver refused this kiosk's token ({resp.status_code}): the token is wrong, "
                      "was replaced, or belongs to another receiver")
        elif outcome is Outcome.UNEXPECTED:
            reason = f"the receiver answered {resp.status_code} to {what}; check the sync endpoint ({reason})"
        retry_after = parse_retry_after(resp.headers.get("Retry-After"), time.time())
        return ItemResult(outcome, reason, resp.status_code, retry_after)

    def health(self) -> ItemResult:
        """Check that the receiver is up and speaks our protocol; remember its limits."""
        resp, failure = self._request("GET", API_PREFIX + "/health")
        if failure:
            return failure
        assert resp is not None
        if resp.status_code != 200:
            return self._failure(resp, "the health check")
        try:
            info = resp.json()
            protocol = info["protocol"]
            self.limits = {k: int(v) for k, v in info.get("limits", {}).items()}
            self.optional_fields = frozenset(str(f) for f in info.get("optional_fields", ()))
        except (ValueError, KeyError, TypeError, AttributeError):
            return ItemResult(Outcome.UNEXPECTED, "the endpoint does not answer like a receiver")
        if protocol != PROTOCOL_VERSION:
            return ItemResult(Outcome.UNEXPECTED,
                              f"the receiver speaks protocol {protocol}, this kiosk {PROTOCOL_VERSION}")
        return ItemResult(Outcome.OK)

    def heartbeat(self, beat: dict[str, Any]) -> ItemResult:
        """Send a heartbeat (``POST /api/v1/heartbeat``, docs/sync-protocol.md); best effort.

        A receiver without the endpoint (an older one: 404 or 405) is not asked again for
        :data:`HEARTBEAT_RETRY_UNSUPPORTED_S`; nothing else depends on the answer.
        """
        if time.monotonic() < self._heartbeat_unsupported_until:
            return ItemResult(Outcome.OK, "the receiver takes no heartbeats")
        if not self._auth_header:
            stop = self._authenticate()
            if stop is not None:
                return stop
        body = json.dumps(beat, separators=(",", ":")).encode("utf-8")
        resp, failure = self._request("POST", API_PREFIX + "/heartbeat", body, "application/json")
        if failure:
            return failure
        assert resp is not None
        if resp.status_code in (404, 405):
            self._heartbeat_unsupported_until = time.monotonic() + HEARTBEAT_RETRY_UNSUPPORTED_S
            return ItemResult(Outcome.OK, "the receiver takes no heartbeats")
        if resp.status_code != 200:
            return self._failure(resp, "the heartbeat")
        return ItemResult(Outcome.OK)

    def _authenticate(self) -> ItemResult | None:
        try:
            token = self._token() if callable(self._token) else self._token
        except SyncConfigError as exc:
            return ItemResult(Outcome.AUTH, str(exc))
        self._auth_header = f"Bearer {token}"
        return None

    # ------------------------------------------------------------- delivery
    def _load(self, submission_id: str) -> Outgoing | None:
        """The submission to send if it is still pending (staff may have withheld it meanwhile)."""
        # No second hash of each blob here: the receiver hashes what it is sent (422 on a mismatch).
        return self.store.outgoing(submission_id)

    def upload(self, sub: Submission | Outgoing) -> tuple[ItemResult, dict[str, Any] | None]:
        """PUT the blobs, then the submission; check the receipt. No store access, so it
        may run on a helper thread. Returns the result and, when OK, the receipt."""
        max_blob = self.limits.get("max_blob_bytes")
        for blob in sub.blobs:
            if max_blob is not None and blob.size > max_blob:
                return ItemResult(Outcome.PERMANENT, f"413: blob: the {blob.role} is {blob.size} bytes; "
                                                     f"the receiver accepts at most {max_blob}", 413), None
            self._pause("before_blob_put", sub.id)
            resp, failure = self._request("PUT", blob_path(blob.sha256), blob.data, "application/octet-stream")
            if failure:
                return failure, None
            assert resp is not None
            if resp.status_code not in (200, 201):
                return self._failure(resp, f"the {blob.role} upload"), None
            self._pause("after_blob_put", sub.id)
        body = sub.canonical_json()  # serialised once: what is sent is what the digest is taken of
        if not OPTIONAL_WIRE_FIELDS <= self.optional_fields and any(
                b'"%s"' % name.encode() in body for name in OPTIONAL_WIRE_FIELDS - self.optional_fields):
            # A receiver of before a field (the status pages, platform links) refuses it: sent without.
            body = without_optional_fields(body, keep=self.optional_fields)
        local_digest = sha256_hex(body)
        resp, failure = self._request("PUT", submission_path(sub.id), body, "application/json")
        if failure:
            return failure, None
        assert resp is not None
        if resp.status_code not in (200, 201):
            return self._failure(resp, "the submission upload"), None
        self._pause("after_submission_put", sub.id)
        try:
            receipt = check_receipt(resp.json(), sub.id, local_digest)
        except ValueError as exc:  # ReceiptError, or a body that is not JSON
            if isinstance(exc, ReceiptError) and "digest" in str(exc):
                return ItemResult(Outcome.PERMANENT, f"receipt does not match: {exc}", resp.status_code), None
            return ItemResult(Outcome.UNEXPECTED, f"the receiver's answer is not a valid receipt ({exc})",
                              resp.status_code), None
        return ItemResult(Outcome.OK, status=resp.status_code, created=resp.status_code == 201), receipt

    def _record_sent(self, submission_id: str, result: ItemResult,
                     receipt: dict[str, Any] | None) -> ItemResult:
        if result.outcome is Outcome.OK and receipt is not None:
            self.store.mark_sent(submission_id, receipt)
            self._pause("after_mark_sent", submission_id)
        return result

    def deliver(self, submission_id: str) -> ItemResult:
        """Deliver one pending submission: blobs, then the submission, then the receipt.

        The store is written only by ``mark_sent`` here; failures are recorded by
        the caller (:meth:`sync_pending`), which knows whether to go on.
        """
        sub = self._load(submission_id)
        if sub is None:
            return ItemResult(Outcome.OK, skipped=True)
        return self._record_sent(sub.id, *self.upload(sub))

    def sync_pending(self, *, batch: int = 100, should_stop: Callable[[], bool] = lambda: False,
                     progress: Callable[[SyncReport], None] | None = None) -> SyncReport:
        """One pass: deliver pending submissions, oldest first, until none is left or one
        error says to stop. Returns what happened; never raises for network trouble.

        Up to ``parallel`` submissions are in flight at once (HTTP on helper threads);
        the store is read and written on the calling thread only, in the original order
        (a finished upload waits for the ones before it, at most ``parallel * WINDOW_FACTOR``
        submissions in all).
        """
        report = SyncReport()
        stop: ItemResult | None = self._authenticate() or self.health()
        if stop.outcome is Outcome.OK:
            stop = None
        seen: set[str] = set()
        window: deque[tuple[str, Future]] = deque()  # ids: a finished upload's blobs are freed
        pool = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="sync-upload") \
            if self.parallel > 1 else None

        def any_trouble() -> bool:
            """A finished upload in the window that did not deliver (or raised)."""
            return any(f.done() and (f.exception() is not None or f.result()[0].outcome is not Outcome.OK)
                       for _, f in window)

        def settle(wait_for_head: bool) -> None:
            """Record, in order, the head of the window (waiting for it if asked) and the
            finished uploads right behind it: their receipts in one store transaction."""
            nonlocal stop
            batch: list[tuple[str, ItemResult, dict[str, Any] | None]] = []
            try:
                while window and (window[0][1].done() or (wait_for_head and not batch)):
                    sid, fut = window.popleft()
                    batch.append((sid, *fut.result()))
            finally:  # an upload that raised: still record the ones before it
                sent = [(sid, receipt) for sid, result, receipt in batch
                        if result.outcome is Outcome.OK and receipt is not None]
                self.store.mark_sent_many(sent)
                for sid, _ in sent:
                    self._pause("after_mark_sent", sid)
            for sid, result, _ in batch:
                if stop is not None and result.outcome is not Outcome.OK and result.outcome is not Outcome.PERMANENT:
                    self.store.record_attempt(sid, result.reason)
                    continue
                if self._account(sid, result, report) and stop is None:
                    stop = result
                if progress is not None:
                    progress(report)

        try:
            while stop is None and not should_stop():
                ids = [i for i in self.store.pending_ids(batch) if i not in seen]
                if not ids:
                    break
                for sid in ids:
                    if stop is not None or should_stop():
                        break
                    seen.add(sid)
                    sub = self._load(sid)
                    if sub is None:
                        continue
                    if pool is None:
                        window.append((sid, _done(self.upload(sub))))
                    else:
                        window.append((sid, pool.submit(self.upload, sub)))
                    del sub  # only the upload holds it now
                    # Wait only while `parallel` uploads are still running, so a slow one at the
                    # head of the window does not leave the other threads idle behind it. Receipts
                    # are recorded when the window is full (several in one transaction), or at
                    # once when something went wrong, so that an error stops the pass early.
                    if any_trouble():
                        settle(wait_for_head=False)
                    while window and (len(window) >= self.parallel * WINDOW_FACTOR
                                      or sum(not f.done() for _, f in window) >= self.parallel):
                        if len(window) >= self.parallel * WINDOW_FACTOR:
                            settle(wait_for_head=True)  # enough unrecorded receipts: wait for the head
                        else:
                            wait([f for _, f in window if not f.done()], return_when=FIRST_COMPLETED)
                            if any_trouble():
                                settle(wait_for_head=False)
                while window:
                    settle(wait_for_head=True)
        finally:
            while window:  # an exception above: still record what the receiver confirmed
                try:
                    settle(wait_for_head=True)
                except Exception:  # noqa: BLE001
                    log.exception("could not record a finished upload")
            if pool is not None:
                pool.shutdown(wait=True)
        if stop is not None:
            report.stopped_by = stop.outcome
            report.error = stop.reason
            report.retry_after = stop.retry_after
            log.warning("sync pass stopped (%s): %s", stop.outcome.value, stop.reason)
        report.remaining = self._pending_count()
        return report

    def _account(self, sid: str, result: ItemResult, report: SyncReport) -> bool:
        """Record *result* in the store and the report; True when the pass must stop."""
        if result.outcome is Outcome.OK:
            if not result.skipped:
                if result.created:
                    report.delivered += 1
                else:
                    report.already_there += 1
            return False
        if result.outcome is Outcome.PERMANENT:
            self.store.mark_failed(sid, result.reason)
            report.failed.append((sid, result.reason))
            log.warning("submission %s failed: %s", sid, result.reason)
            return False
        self.store.record_attempt(sid, result.reason)
        return True

    def _pending_count(self) -> int:
        try:
            return int(self.store.stats().by_state.get("pending", 0))
        except Exception:  # noqa: BLE001 - a count for display only
            return len(self.store.pending_ids(100_000))


def _done(value: Any) -> Future:
    fut: Future = Future()
    fut.set_result(value)
    return fut


def _short(exc: BaseException) -> str:
    """The innermost reason of a requests/urllib3 error, without the URL noise."""
    while exc.__context__ is not None and not isinstance(exc, OSError):
        exc = exc.__context__
    text = str(exc.args[0] if isinstance(exc, requests.RequestException) and exc.args else exc)
    for marker in ("Connection refused", "timed out", "Connection reset", "Name or service not known",
                   "Remote end closed connection", "IncompleteRead", "Connection aborted", "Broken pipe"):
        if marker.lower() in text.lower():
            return marker.lower()
    return text[:120]
