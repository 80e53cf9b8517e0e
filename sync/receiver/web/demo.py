"""Sample content for the staff app's screenshots, browser tests and benchmark: the kiosk's own
samples (``kiosk.core.seed``: realistic ideas, drawings with strokes, all ``is_sample``), spread
over a few terminals and put straight into a receiver's store in large transactions."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable
from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.model import Submission
from kiosk.core.seed import sample_submissions
from kiosk.core.model import utc_now
from sync.receiver.storage import ReceiverStore

TERMINALS = ("rathaus-1", "rathaus-2", "markt-1")


def demo_submissions(config: Config, *, ideas: int, drawings: int, seed: int = 7,
                     terminals: tuple[str, ...] = TERMINALS) -> list[Submission]:
    rng = random.Random(seed)
    out = []
    for i, sub in enumerate(sample_submissions(config, ideas=ideas, drawings=drawings, rng=rng)):
        out.append(dataclasses.replace(sub, kiosk_id=terminals[i % len(terminals)]))
    return out


def bulk_put(store: ReceiverStore, subs: Iterable[Submission], batch: int = 5000) -> int:
    """Store *subs* as if each terminal had delivered them (blobs and rows), in big transactions."""
    n = 0
    rows: list[tuple] = []
    links: list[tuple] = []

    def flush() -> None:
        with store.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO submissions (id, sha256, kind, kiosk_id, event_id, delivered_by, "
                           "created_at, received_at, canonical, topic_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany("INSERT OR IGNORE INTO submission_blobs VALUES (?, ?, ?, ?)", links)
        rows.clear()
        links.clear()

    now = utc_now()
    for sub in subs:
        for b in sub.blobs:
            if not store.has_blob(b.sha256):
                store.put_blob(b.sha256, b.data)
            links.append((sub.id, b.role, b.sha256, b.media_type))
        canonical = sub.canonical_json()
        rows.append((sub.id, sub.digest(), sub.kind, sub.kiosk_id, sub.event_id, sub.kiosk_id, sub.created_at,
                     now, canonical, sub.topic_id))
        n += 1
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    return n


def demo_receiver(data_dir: Path, config: Config, *, ideas: int, drawings: int, seed: int = 7) -> list[Submission]:
    subs = demo_submissions(config, ideas=ideas, drawings=drawings, seed=seed)
    store = ReceiverStore(data_dir)
    try:
        bulk_put(store, subs)
    finally:
        store.close()
    return subs
