"""``kiosk receiver import PATH``: take a kiosk's USB bundle into the receiver, idempotently.

The bundle is verified first (every digest and count, ``kiosk.core.export.verify_bundle``);
a damaged bundle imports nothing. Then, per submission: blobs first
(content-addressed, so a second import or an earlier sync finds them
already there), then the submission through the same ``put_submission`` the
HTTP API uses, with the same canonical digest. Importing twice, or importing
what was also synced, adds nothing twice; an id that exists with different
content is reported as a conflict and left alone.

Withheld items are skipped unless ``include_withheld`` is set: staff withheld
them on the kiosk so that they do not reach the platform.

Works with any store that has ``put_blob(sha256, data)`` and
``put_submission(...)`` like ``sync.receiver.storage.ReceiverStore``. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.export import BundleLimits, BundleRefused, iter_bundle, verify_bundle
from sync.protocol import Limits


class ImportRefused(Exception):
    """The bundle is damaged or not a bundle; nothing was imported."""


@dataclass
class ImportResult:
    created: int = 0
    existing: int = 0
    skipped_withheld: int = 0
    conflicts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def bundle_limits(limits: Limits) -> BundleLimits:
    """The receiver's limits as a bundle reader applies them: what the API would refuse, an
    import refuses too (a drawing over ``max_blob_bytes``, a text over ``max_text_chars``)."""
    return BundleLimits(max_blob_bytes=limits.max_blob_bytes, max_line_bytes=limits.max_json_bytes + 16 * 1024,
                        max_text_chars=limits.max_text_chars)


def import_bundle(store: Any, path: Path, *, include_withheld: bool = False,
                  delivered_by: str | None = None, limits: Limits = Limits()) -> ImportResult:
    """Import the bundle at ``path`` into ``store``.

    The whole bundle is verified within the receiver's ``limits`` first (streamed, bounded
    memory); only then is anything stored.

    Args:
        delivered_by: recorded per submission (default ``bundle:<kiosk id>``).

    Raises:
        ImportRefused: the bundle does not verify or breaks a limit; nothing was imported.
    """
    reading = bundle_limits(limits)
    report = verify_bundle(Path(path), reading)
    if not report.ok:
        raise ImportRefused(f"{Path(path).name} does not verify, nothing imported: {report.problems[0]}")
    from sync.receiver.storage import Conflict  # imported late: the module works without the receiver

    try:
        return _import_items(store, iter_bundle(Path(path), reading), include_withheld, delivered_by, Conflict)
    except BundleRefused as exc:  # changed on the stick since it was verified
        raise ImportRefused(f"{Path(path).name} changed while it was imported: {exc}") from None


def _import_items(store: Any, items: Any, include_withheld: bool, delivered_by: str | None,
                  conflict: type[Exception]) -> ImportResult:
    result = ImportResult()
    for item in items:
        sub = item.submission
        if item.status == "withheld" and not include_withheld:
            result.skipped_withheld += 1
            continue
        for blob in sub.blobs:
            store.put_blob(blob.sha256, blob.data)
        try:
            _, created = store.put_submission(
                submission_id=sub.id, sha256=sub.digest(), canonical=sub.canonical_json(), kind=sub.kind,
                kiosk_id=sub.kiosk_id, event_id=sub.event_id, created_at=sub.created_at,
                delivered_by=delivered_by or f"bundle:{sub.kiosk_id}",
                blobs=[(b.role, b.sha256, b.media_type) for b in sub.blobs], topic_id=sub.topic_id)
        except conflict as exc:
            result.conflicts.append(f"{sub.id}: the receiver holds different content "
                                    f"(sha256 {exc.stored_sha256})")
            continue
        if created:
            result.created += 1
        else:
            result.existing += 1
    return result


def import_into_data_dir(data_dir: Path, path: Path, *, include_withheld: bool = False,
                         limits: Limits = Limits()) -> ImportResult:
    """Open the receiver's storage in ``data_dir`` and import; for ``kiosk receiver import``."""
    from sync.receiver.storage import ReceiverStore

    # The receiver may be running beside us: leave its in-flight uploads alone.
    store = ReceiverStore(Path(data_dir), clean_tmp=False)
    try:
        return import_bundle(store, path, include_withheld=include_withheld, limits=limits)
    finally:
        store.close()


def format_result(result: ImportResult, path: Path) -> str:
    lines = [f"{Path(path).name}: {result.created} new, {result.existing} already there, "
             f"{result.skipped_withheld} withheld (skipped), {len(result.conflicts)} conflicts"]
    lines += [f"  conflict {c}" for c in result.conflicts]
    return "\n".join(lines)
