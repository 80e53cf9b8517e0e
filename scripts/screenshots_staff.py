"""Render every staff screen offscreen at 1920x1080 and 1080x1920 into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_staff.py [--lang de|en]

Uses a temporary data dir with sample contributions (kiosk seed), a fake
sync source, and a temporary folder posing as a USB stick.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="de")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    app = QApplication([])
    from kiosk.config import BUNDLED_CONFIG, load_config
    from kiosk.drives import Drive
    from kiosk.model import Blob, Submission
    from kiosk.seed import sample_drawing, sample_submissions
    from kiosk.storage import Store
    from ui.screens.staff_common import SyncSnapshot, SyncSource, fallback_stylesheet
    from ui.screens.staff_panel import StaffPanel

    try:
        from ui.theme import load_fonts
        load_fonts()
    except ImportError:
        pass
    config = load_config(BUNDLED_CONFIG)
    tmp = Path(tempfile.mkdtemp(prefix="staff-shots-"))
    store = Store.open_in(tmp / "data")
    subs = list(sample_submissions(config, ideas=340, drawings=60, rng=random.Random(7)))
    store.add_many(subs)
    png, strokes = sample_drawing(random.Random(99))
    store.add(Submission(kind="drawing", topic_id=config.flows.drawing_topic, unfinished=True, consent_given=True,
                         created_at="2022-07-03T14:12:09.000Z",
                         kiosk_id=config.kiosk.id, event_id=config.event.id,
                         blobs=(Blob("png", png), Blob("strokes", strokes))))
    for s in subs[:150]:
        store.mark_sent(s.id, {"sha256": s.digest()})
    store.mark_failed(subs[151].id, "422: text: contains control characters")
    store.mark_failed(subs[152].id, "413: blob is 9000000 bytes; the limit is 8388608")
    store.withhold(subs[153].id, "personal_data: Telefonnummer im Text")
    stick = tmp / "media" / "kiosk" / "STADT-JENA"
    stick.mkdir(parents=True)

    class Sync(SyncSource):
        def snapshot(self):
            return SyncSnapshot("online", "2022-07-03T16:42:00.000Z")

    app.setStyleSheet(fallback_stylesheet(config.branding.primary_color, config.branding.accent_color,
                                          config.branding.background_color, config.branding.text_color))
    panel = StaffPanel(store, config, sync=Sync(), lang=args.lang,
                       drives=lambda: [Drive(stick, "STADT-JENA", 7_800_000_000, 8_000_000_000)])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def settle():
        for _ in range(5):
            app.processEvents()

    for orient, size in (("landscape", (1920, 1080)), ("portrait", (1080, 1920))):
        panel.resize(*size)
        panel.show()
        for page in ("overview", "sync", "browse", "moderate", "export", "system"):
            panel.show_page(page)
            if page == "moderate":
                screen = panel.screens["moderate"]
                screen.list.setCurrentRow(2)
                screen.delete.click()
            if page == "export":
                screen = panel.screens["export"]
                if screen.result is None:
                    screen.run_export()
                    while screen.job is not None:
                        app.processEvents()
            settle()
            panel.grab().save(str(out / f"staff_{page}_{orient}.png"))
            if page == "browse":
                panel.screens["browse"].show_drawings.click()
                settle()
                panel.grab().save(str(out / f"staff_browse_drawings_{orient}.png"))
                panel.screens["browse"].show_ideas.click()
    print(f"wrote {len(list(out.glob('staff_*.png')))} screenshots to {out}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
