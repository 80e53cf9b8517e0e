"""Staff pages of the receiver: what arrived per kiosk, and everything as one ZIP.

The ZIP is the kiosk's export bundle (``docs/export-format.md``), written by
``kiosk.core.export.write_bundle``: so ``kiosk verify-bundle`` checks it and
``kiosk receiver import`` takes it into another receiver.

Protected by the staff password (HTTP Basic, any user name; argon2 hash on
disk). Every value shown is HTML-escaped: visitors typed it.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.core.bidi import balance
from kiosk.core.export import BundleItem, BundleMeta, ExportError, ExportResult, Titles, write_bundle
from kiosk.core.model import SchemaError, submission_from_wire, utc_now, wire_blob_digests
from sync.protocol import is_sha256_hex, make_receipt
from sync.receiver.auth import StaffPassword
from sync.receiver.errors import ApiError
from sync.receiver.login_limiter import LoginLimiter, Refused
from sync.receiver.storage import ExportRow, ReceiverStore


def basic_password(request: Request) -> str:
    """The password of an HTTP Basic ``Authorization`` header (any user name), or ''."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or len(encoded) > 4096:
        return ""
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")[2]
    except (binascii.Error, UnicodeDecodeError):
        return ""


async def _check_staff(request: Request, password: StaffPassword, limiter: LoginLimiter) -> None:
    if not password.is_set():
        raise ApiError(503, "no staff password is set: run `kiosk receiver set-staff-password`")
    given = basic_password(request)
    challenge = {"WWW-Authenticate": 'Basic realm="receiver staff", charset="UTF-8"'}
    if not given:
        raise ApiError(401, "staff password required", None, headers=challenge)
    try:
        ok = await limiter.check(request.client.host if request.client else "unknown", given)
    except Refused as exc:
        raise ApiError(exc.status, exc.message, None, headers={"Retry-After": str(exc.retry_after)}) from None
    if not ok:
        raise ApiError(401, "staff password required", None, headers=challenge)


def _visitor(text: str) -> str:
    """Visitor text for the page: balanced (kiosk.core.bidi), escaped, isolated in ``<bdi>``.

    A terminal balances what it stores, but the receiver takes what any client sends:
    an unclosed U+202E here would reverse the rest of its table cell, and the isolation
    keeps even natural right-to-left text from reordering the columns around it.
    """
    return f"<bdi>{html.escape(balance(text))}</bdi>"


def render_page(store: ReceiverStore, latest: int = 50) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(k or '(none)')}</td><td>{ideas or 0}</td><td>{drawings or 0}</td><td>{esc(last or '')}</td></tr>"
        for k, ideas, drawings, last in store.counts_by_kiosk())
    items = []
    for s in store.latest(latest):
        data = json.loads(s.canonical)
        thumb = ""
        if "png" in s.blob_roles:
            thumb = (f'<img src="staff/blobs/{s.blob_roles["png"]}" alt="drawing" '
                     'loading="lazy" style="max-width:160px;max-height:120px">')
        text = data.get("text") or ""
        items.append(
            f"<tr><td>{esc(s.received_at)}</td><td>{esc(s.kiosk_id)}</td><td>{esc(s.kind)}</td>"
            f"<td>{esc(data.get('topic_id', ''))}</td><td dir=\"auto\">{_visitor(data.get('title') or '')}</td>"
            f"<td dir=\"auto\">{_visitor(text[:300])}{'…' if len(text) > 300 else ''}</td><td>{thumb}</td>"
            f"<td><code>{esc(data.get('reference_code', ''))}</code></td></tr>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receiver – staff</title>
<style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}}</style></head>
<body><h1>What arrived</h1>
<p>{store.count()} submissions in total. <a href="staff/export.zip">Download everything (ZIP)</a></p>
<h2>Per kiosk</h2>
<table><tr><th>Delivered by</th><th>Ideas</th><th>Drawings</th><th>Last received</th></tr>{rows}</table>
<h2>Latest {latest}</h2>
<table><tr><th>Received</th><th>Kiosk</th><th>Kind</th><th>Topic</th><th>Title</th><th>Text</th>
<th>Drawing</th><th>Code</th></tr>{''.join(items)}</table>
</body></html>"""


RECEIVER_NAME = "receiver"
"""The bundle's ``kiosk_id`` when the receiver has no name of its own: it is not a kiosk."""
EXPORT_TMP = ".export-tmp"
"""Folder in the data dir where a download's bundle is written before it is served."""
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class BundleSourceError(Exception):
    """What the receiver stored cannot be exported as it is (a blob file is missing or damaged)."""


def is_slug(text: str) -> bool:
    """Safe as part of a file name on any drive (no path separators, no ':')."""
    return _SLUG.fullmatch(text) is not None


def load_titles(kiosk_toml: Path | None) -> Titles:
    """Topic and goal titles for ``ideas.csv`` from a kiosk's config; none without one.

    The receiver has no kiosk.toml of its own. Without one the CSV has no title
    columns and ``topic_id`` / ``goal_id`` are what names each topic.

    Raises:
        kiosk.core.config.ConfigError: the file is not a valid kiosk config.
    """
    if kiosk_toml is None:
        return Titles()
    from kiosk.core.config import load_config

    return Titles.from_config(load_config(Path(kiosk_toml)))


def load_config_of(kiosk_toml: Path | None) -> Any:
    """The kiosk config whose titles and branding the staff app uses, or None (checked at start)."""
    if kiosk_toml is None:
        return None
    from kiosk.core.config import load_config

    return load_config(Path(kiosk_toml))


def bundle_event_id(store: ReceiverStore) -> str:
    """The one event everything belongs to, else ``mixed`` (``none`` when empty)."""
    events = store.event_ids(2)
    if len(events) == 1 and is_slug(events[0]):
        return events[0]
    return "mixed" if events else "none"


def receiver_items(store: ReceiverStore) -> Iterator[BundleItem]:
    """Every stored submission as a bundle item, in the order received, one at a time.

    Each is rebuilt from its canonical form and its blob files (hashed again, so
    a damaged file stops the export rather than reaching the bundle); its status
    is ``sent``, its receipt the one ``GET /api/v1/submissions/{id}`` gives, and
    ``delivered_by`` says who delivered it.

    Raises:
        BundleSourceError: a blob is missing or no longer matches.
    """
    return rows_as_items(store, store.iter_all())


def rows_as_items(store: ReceiverStore, rows: Iterable[ExportRow]) -> Iterator[BundleItem]:
    """Stored rows as bundle items (see :func:`receiver_items`), one at a time."""
    for row in rows:
        wire = json.loads(row.canonical)
        blobs = {}
        for digest in wire_blob_digests(wire):
            data = store.read_blob(digest)
            if data is None:
                raise BundleSourceError(f"submission {row.id}: blob {digest} is missing from the receiver's "
                                        "blob folder; nothing was exported")
            blobs[digest] = data
        try:
            sub = submission_from_wire(wire, blobs)
        except (SchemaError, ValueError) as exc:
            raise BundleSourceError(f"submission {row.id} cannot be rebuilt ({exc}); nothing was exported") from None
        if sub.digest() != row.sha256:
            raise BundleSourceError(f"submission {row.id} no longer matches its digest; nothing was exported")
        yield BundleItem(sub, "sent", None, make_receipt(row.id, row.sha256, row.received_at, "exists"),
                         row.delivered_by)


def export_bundle(store: ReceiverStore, out: Path, *, name: str = RECEIVER_NAME, titles: Titles | None = None,
                  now: str | None = None) -> ExportResult:
    """Write everything the receiver holds to ``out`` (a folder or a ``.zip`` path) in the
    kiosk's bundle format (``docs/export-format.md``), atomically, streaming.

    Raises:
        ExportError: the bundle could not be written; nothing is left under the final name.
        BundleSourceError: the receiver's own data is damaged.
    """
    if not is_slug(name):
        raise ValueError(f"receiver name {name!r}: use letters, digits, '.', '_' or '-' (it goes into file names)")
    meta = BundleMeta(kiosk_id=name, event_id=bundle_event_id(store), exported_at=now or utc_now(),
                      source="receiver")
    return write_bundle(out, receiver_items(store), meta=meta, titles=titles or Titles(), total=store.count())


def _drawing(store: ReceiverStore, sha256: str) -> bytes | None:
    """A stored PNG's bytes (never another kind of blob), or None."""
    return store.read_blob(sha256) if store.blob_media_type(sha256) == "image/png" else None


class TempFileResponse(FileResponse):
    """A file served once, its folder removed afterwards, also when the client went away."""

    def __init__(self, path: Path, *, remove: Path, **kw: Any) -> None:
        super().__init__(path, **kw)
        self._remove = remove

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:  # off the event loop: a bundle's folder may hold thousands of drawings
            await run_in_threadpool(shutil.rmtree, self._remove, True)


def export_tmp_dir(data_dir: Path) -> Path:
    """The folder for downloads in progress, emptied of leftovers (a crash mid-download)."""
    tmp = Path(data_dir) / EXPORT_TMP
    if tmp.is_dir():
        for leftover in tmp.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)
    tmp.mkdir(exist_ok=True)
    return tmp


def add_staff_routes(app: FastAPI, store: ReceiverStore, password: StaffPassword, limiter: LoginLimiter, *,
                     name: str = RECEIVER_NAME, titles: Titles | None = None) -> None:
    """The staff pages; every request's password goes through ``limiter`` (bounded, throttled)."""
    if not is_slug(name):
        raise ValueError(f"receiver name {name!r}: use letters, digits, '.', '_' or '-' (it goes into file names)")
    tmp_dir = export_tmp_dir(store.data_dir)

    @app.get("/staff", response_class=HTMLResponse)
    async def staff_page(request: Request) -> HTMLResponse:
        await _check_staff(request, password, limiter)
        page = await run_in_threadpool(render_page, store)
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    @app.get("/staff/blobs/{sha256}")
    async def staff_blob(sha256: str, request: Request) -> Response:
        await _check_staff(request, password, limiter)
        if not is_sha256_hex(sha256):
            raise ApiError(422, "must be 64 lowercase hex characters", "sha256")
        data = await run_in_threadpool(_drawing, store, sha256)
        if data is None:
            raise ApiError(404, "no such drawing", "sha256")
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/staff/export.zip")
    async def staff_export(request: Request) -> FileResponse:
        await _check_staff(request, password, limiter)
        work = Path(tempfile.mkdtemp(prefix="download-", dir=tmp_dir))
        try:
            result = await run_in_threadpool(lambda: export_bundle(store, work, name=name, titles=titles))
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, (ExportError, BundleSourceError)):
                raise ApiError(500, f"the bundle could not be written: {exc}") from None
            raise
        return TempFileResponse(result.path, remove=work, media_type="application/zip",
                                 filename=result.path.name, headers={"Cache-Control": "no-store"})
