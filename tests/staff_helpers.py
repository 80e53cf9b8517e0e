"""Helpers shared by the staff-mode core tests: a real store in a temp dir, real submissions."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.config import BUNDLED_CONFIG, load_config
from kiosk.core.model import Blob, Submission
from kiosk.core.seed import sample_drawing, tiny_png

CONFIG = load_config(BUNDLED_CONFIG)
TRICKY = 'Mehr Grün; "Bänke" am Löbdergraben,\nzweite Zeile; ÄÖÜß ☀ – und \'Zitat\''


def idea(text: str = "Mehr Bänke im Paradies", **kw) -> Submission:
    topic = CONFIG.topics[0]
    fields = dict(kind="idea", topic_id=topic.id, goal_id=topic.goals[0].id if topic.goals else None,
                  text=text, consent_given=True, consent_version=CONFIG.consent.version,
                  kiosk_id=CONFIG.kiosk.id, event_id=CONFIG.event.id, app_version="test")
    fields.update(kw)
    return Submission(**fields)


def drawing(seed: int = 0, **kw) -> Submission:
    import random

    png, strokes = sample_drawing(random.Random(seed))
    fields = dict(kind="drawing", topic_id=CONFIG.flows.drawing_topic, consent_given=True,
                  consent_version=CONFIG.consent.version, kiosk_id=CONFIG.kiosk.id,
                  event_id=CONFIG.event.id, app_version="test",
                  blobs=(Blob("png", png), Blob("strokes", strokes)))
    fields.update(kw)
    return Submission(**fields)


def noisy_drawing(seed: int = 0, size: int = 120, **kw) -> Submission:
    """A drawing whose PNG does not compress (about 3*size*size bytes)."""
    import random

    rng = random.Random(seed)
    noise = rng.randbytes(size * size * 3)
    png = tiny_png(size, size, lambda x, y: noise[(y * size + x) * 3:(y * size + x) * 3 + 3])
    return drawing(seed, blobs=(Blob("png", png), Blob("strokes", b'{"strokes": []}')), **kw)


def open_store(directory: Path):
    from kiosk.core.storage import Store

    return Store.open_in(directory)


__all__ = ["CONFIG", "TRICKY", "drawing", "idea", "noisy_drawing", "open_store", "tiny_png"]
