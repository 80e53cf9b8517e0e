"""Staff pages of the receiver: what arrived per kiosk, and everything as one ZIP.

Protected by the staff password (HTTP Basic, any user name; argon2 hash on
disk). Every value shown is HTML-escaped: visitors typed it.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import os
import tempfile
import zipfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from kiosk.model import utc_now
from sync.protocol import PROTOCOL_VERSION, is_sha256_hex
from sync.receiver.auth import StaffPassword
from sync.receiver.storage import ReceiverStore

BUNDLE_FORMAT = "smart-city-fest-bundle"
BUNDLE_VERSION = 1


def _check_staff(request: Request, password: StaffPassword) -> None:
    from sync.receiver.app import ApiError

    if not password.is_set():
        raise ApiError(503, "no staff password is set: run `kiosk receiver set-staff-password`")
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    given = ""
    if scheme.lower() == "basic":
        try:
            given = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            given = ""
    if not given or not password.verify(given):
        raise ApiError(401, "staff password required", None,
                       headers={"WWW-Authenticate": 'Basic realm="receiver staff", charset="UTF-8"'})


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
            f"<td>{esc(data.get('topic_id', ''))}</td><td>{esc(data.get('title') or '')}</td>"
            f"<td>{esc(text[:300])}{'…' if len(text) > 300 else ''}</td><td>{thumb}</td>"
            f"<td><code>{esc(data.get('reference_code', ''))}</code></td></tr>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receiver – staff</title>
<style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}}</style></head>
<body><h1>What arrived</h1>
<p>{store.count()} submissions in total. <a href="staff/export.zip">Download everything (ZIP)</a></p>
<h2>Per kiosk</h2>
<table><tr><th>Kiosk</th><th>Ideas</th><th>Drawings</th><th>Last received</th></tr>{rows}</table>
<h2>Latest {latest}</h2>
<table><tr><th>Received</th><th>Kiosk</th><th>Kind</th><th>Topic</th><th>Title</th><th>Text</th>
<th>Drawing</th><th>Code</th></tr>{''.join(items)}</table>
</body></html>"""


def write_bundle(store: ReceiverStore, target: Path) -> int:
    """Write every submission and blob to a ZIP at *target*; return the submission count.

    Layout: ``manifest.json``; ``submissions.jsonl`` (one canonical wire form per
    line: the SHA-256 of a line is the submission's digest); ``receipts.jsonl``
    (sha256 and received_at, same order); ``blobs/<sha256>``.
    """
    count = 0
    # Two streams cannot be open at once in one ZipFile; write receipts to a temp file first.
    with tempfile.TemporaryFile("w+b") as receipts, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("submissions.jsonl", "w", force_zip64=True) as subs:
            for canonical, sha, received_at in store.iter_all():
                subs.write(canonical + b"\n")
                receipts.write(json.dumps({"sha256": sha, "received_at": received_at}).encode() + b"\n")
                count += 1
        receipts.seek(0)
        with zf.open("receipts.jsonl", "w", force_zip64=True) as out:
            while chunk := receipts.read(1 << 20):
                out.write(chunk)
        for digest in store.all_blob_digests():
            path = store.blob_file(digest)
            if path.is_file():
                zf.write(path, f"blobs/{digest}")
        zf.writestr("manifest.json", json.dumps({
            "format": BUNDLE_FORMAT, "version": BUNDLE_VERSION, "protocol": PROTOCOL_VERSION,
            "source": "receiver", "created_at": utc_now(), "submissions": count}, indent=2))
    return count


def add_staff_routes(app: FastAPI, store: ReceiverStore, password: StaffPassword) -> None:
    from sync.receiver.app import ApiError

    @app.get("/staff", response_class=HTMLResponse)
    def staff_page(request: Request) -> HTMLResponse:
        _check_staff(request, password)
        return HTMLResponse(render_page(store), headers={"Cache-Control": "no-store"})

    @app.get("/staff/blobs/{sha256}")
    def staff_blob(sha256: str, request: Request) -> Response:
        _check_staff(request, password)
        if not is_sha256_hex(sha256):
            raise ApiError(422, "must be 64 lowercase hex characters", "sha256")
        media = store.blob_media_type(sha256)
        data = store.read_blob(sha256) if media == "image/png" else None
        if data is None:
            raise ApiError(404, "no such drawing", "sha256")
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/staff/export.zip")
    def staff_export(request: Request) -> FileResponse:
        _check_staff(request, password)
        fd, tmp = tempfile.mkstemp(suffix=".zip")
        os.close(fd)
        try:
            write_bundle(store, Path(tmp))
        except BaseException:
            os.unlink(tmp)
            raise
        name = f"receiver-{utc_now()[:19].replace(':', '')}.zip"
        return FileResponse(tmp, media_type="application/zip", filename=name,
                            background=BackgroundTask(os.unlink, tmp))
