"""Everything the receiver holds, or a selection of it, as the kiosk's export bundle.

The bundle is the kiosk's format (``docs/export-format.md``), written by
``kiosk.core.export.write_bundle``: so ``kiosk verify-bundle`` checks it and ``kiosk receiver
import`` takes it into another receiver. ``kiosk receiver export`` writes everything; the staff
web app downloads a selection (``sync.receiver.web.export``), served once by
:class:`TempFileResponse`.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from kiosk.core.export import BundleItem, BundleMeta, ExportResult, Titles, write_bundle
from kiosk.core.model import SchemaError, submission_from_wire, utc_now, wire_blob_digests
from sync.protocol import make_receipt
from sync.receiver.storage import ExportRow, ReceiverStore


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
