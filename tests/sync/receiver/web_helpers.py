"""Helpers for the staff web app's tests: a receiver with accounts and content, a signed-in client."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from kiosk.core.model import Blob, Submission, canonical_json
from sync.receiver.storage import ReceiverStore

from sync_helpers import make_png

ADMIN, ADMIN_PASSWORD = "anna", "anna-long-password"
STAFF, STAFF_PASSWORD = "ben", "ben-long-password"
TOPICS = ("mobility", "green", "playground")


def strokes_json(i: int) -> bytes:
    items = [{"type": "stroke", "color": "#0072b2", "width": 16.0, "tool": "brush",
              "points": [[20 + k * 10, 30 + (k * 7 + i) % 60, k * 40] for k in range(30)]},
             {"type": "stroke", "color": "#d55e00", "width": 6.0, "tool": "brush",
              "points": [[200 - k * 5, 100 + k * 3, 1500 + k * 30] for k in range(25)]},
             {"type": "stamp", "kind": "star", "x": 300, "y": 60, "size": 72.0, "color": "#e69f00", "t": 2500}]
    return canonical_json({"format": "kiosk-drawing", "version": 1, "width": 400, "height": 240,
                           "background": "blank", "paper": "#ffffff", "items": items})


def idea(i: int, **kw) -> Submission:
    fields = dict(kind="idea", topic_id=TOPICS[i % 3], title=f"Idee {i}",
                  text=f"Mehr Bänke am Marktplatz, Nummer {i}", consent_given=True, consent_version="2024-1",
                  kiosk_id=f"kiosk-{1 + i % 2}", event_id="fest-2024")
    fields.update(kw)
    return Submission(**fields)


def drawing(i: int, **kw) -> Submission:
    fields = dict(kind="drawing", topic_id="playground", consent_given=True, consent_version="2024-1",
                  kiosk_id="kiosk-1", event_id="fest-2024",
                  blobs=(Blob("png", make_png(80, 60, seed=i)), Blob("strokes", strokes_json(i))))
    fields.update(kw)
    return Submission(**fields)


def put(store: ReceiverStore, sub: Submission, delivered_by: str | None = None) -> None:
    for b in sub.blobs:
        store.put_blob(b.sha256, b.data)
    store.put_submission(submission_id=sub.id, sha256=sub.digest(), canonical=sub.canonical_json(),
                         kind=sub.kind, kiosk_id=sub.kiosk_id, event_id=sub.event_id,
                         created_at=sub.created_at, delivered_by=delivered_by or sub.kiosk_id,
                         blobs=[(b.role, b.sha256, b.media_type) for b in sub.blobs], topic_id=sub.topic_id)


def seed(data_dir: Path, subs: list[Submission]) -> None:
    store = ReceiverStore(data_dir)
    try:
        for s in subs:
            put(store, s)
    finally:
        store.close()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(base: str, name: str, password: str) -> requests.Session:
    """A requests session signed in to the staff app (cookies sent over plain HTTP: tests only)."""
    s = requests.Session()
    form = s.get(base + "/staff/login", timeout=10)
    r = s.post(base + "/staff/login", data={"name": name, "password": password, "csrf": csrf_of(form.text),
                                             "next": "/staff/overview"}, timeout=30)
    assert r.status_code == 200 and r.url.endswith("/staff/overview"), (r.status_code, r.text[:500])
    return s
