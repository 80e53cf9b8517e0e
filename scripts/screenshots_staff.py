"""Render every staff screen offscreen at 1920x1080 and 1080x1920 into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_staff.py [--lang de|en] [--sizes WxH,...] [--check]

With ``--check`` nothing is saved: each page is looked at by ``scripts/layout_check.py`` (cut
or elided text, widgets off the window, small targets); problems are printed, exit 1.

The real thing, as staff see it after the PIN: the app from
``kiosk.app.build`` with the real theme, a temporary data dir with sample
contributions (kiosk seed), sync switched on against a real receiver on
127.0.0.1 (kiosk demo's setup), and a temporary folder posing as a USB stick.
Also renders the attract screen's sync indicator.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from PySide6.QtWidgets import QApplication  # noqa: E402

PAGES = ("overview", "sync", "browse", "moderate", "export", "system")


def seed(data: Path, config) -> None:  # noqa: ANN001
    """Samples (kept from syncing), a few real ideas (two refused by the receiver, one withheld
    by staff), and an unfinished drawing recovered after a crash (withheld until staff decide)."""
    from kiosk.core.model import Blob, Submission
    from kiosk.core.seed import sample_drawing, sample_submissions
    from kiosk.core.storage import Store

    store = Store.open_in(data)
    subs = list(sample_submissions(config, ideas=340, drawings=60, rng=random.Random(7)))
    store.add_many(subs)
    for s in subs[:150]:
        store.mark_sent(s.id, {"sha256": s.digest()})
    topic = config.topics[2]
    real = [Submission(kind="idea", topic_id=topic.id, goal_id=topic.goals[0].id, text=text, consent_given=True,
                       consent_version=config.consent.version, kiosk_id=config.kiosk.id,
                       event_id=config.event.id, created_at=f"2022-07-03T{hour}:05:00.000Z")
            for hour, text in (("15", "Mehr Sitzbänke mit Schatten am Holzmarkt"),
                               ("15", "Radweg an der Saale durchgehend beleuchten"),
                               ("16", "Ruf mich an: 0151 2345678"),
                               ("16", "Trinkbrunnen im Paradiespark"))]
    store.add_many(real)
    store.mark_failed(real[0].id, "422: text: contains control characters")
    store.mark_failed(real[1].id, "413: blob is 9000000 bytes; the limit is 8388608")
    store.withhold(real[2].id, "personal_data: Telefonnummer im Text")
    png, strokes = sample_drawing(random.Random(99))
    draft = Submission(kind="drawing", topic_id=config.flows.drawing_topic, unfinished=True, consent_given=False,
                       created_at="2022-07-03T14:12:09.000Z", kiosk_id=config.kiosk.id, event_id=config.event.id,
                       blobs=(Blob("png", png), Blob("strokes", strokes)))
    store.add(draft)
    store.withhold(draft.id, "recovered draft after a crash; keep or discard")  # as kiosk.core.drafts does
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="de", help="the panel's language (comma-separated: each in turn; "
                                                     "files of a second language get its code)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--sizes", default=None, metavar="WxH,...",
                        help="window sizes instead of 1920x1080 and 1080x1920 (files are named by size)")
    parser.add_argument("--check", action="store_true", help="save nothing; report what looks broken (exit 1)")
    parser.add_argument("--diagonal", type=float, default=0.0, metavar="INCH",
                        help="with --check: the screen's diagonal, to measure targets in mm (9 mm at least)")
    args = parser.parse_args()
    from layout_check import mm_per_pixel, problems

    found: list[str] = []

    def capture(path: Path) -> None:
        if args.check:
            found.extend(f"{path.stem}: {problem}" for problem in problems(
                window, mm_per_px=mm_per_pixel(window, args.diagonal or window.config.kiosk.screen_diagonal_inch)))
        else:
            window.grab().save(str(path))

    app = QApplication([])
    from kiosk.app import build, dispose
    from kiosk.core.config import BUNDLED_CONFIG, IdleConfig, load_config
    from kiosk.core.drives import Drive
    from kiosk.cli.demo import demo_config, prepare_demo
    from sync.receiver import ReceiverSettings, ReceiverThread

    config = load_config(BUNDLED_CONFIG)
    tmp = Path(tempfile.mkdtemp(prefix="staff-shots-"))
    setup = prepare_demo(tmp, config.kiosk.id)
    seed(setup.kiosk_dir, config)
    stick = tmp / "media" / "kiosk" / "STADT-JENA"
    stick.mkdir(parents=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def settle(seconds: float = 0.0) -> None:
        end = time.monotonic() + seconds
        while True:
            for _ in range(5):
                app.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.02)

    with ReceiverThread(ReceiverSettings(setup.receiver_dir)) as receiver:
        cfg = demo_config(config, receiver.url + "/api/v1", setup.token_file)
        cfg = dataclasses.replace(cfg, idle=IdleConfig(timeout_s=3600, countdown_s=10, drawing_timeout_s=3600))
        window = build(cfg, setup.kiosk_dir, windowed=True)
        langs = args.lang.split(",")
        sizes = {"landscape": (1920, 1080), "portrait": (1080, 1920)} if not args.sizes else {
            size: tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")}
        for (orient, size), lang in ((o, lang) for o in sizes.items() for lang in langs):
            window.language.set(lang)
            suffix = "" if lang == langs[0] else f"_{lang}"
            window.resize(*size)
            window.show()
            deadline = time.monotonic() + 15
            while window.parts.sync.snapshot().state != "online" and time.monotonic() < deadline:
                settle(0.05)
            window.go_home()
            settle(0.2)
            capture(out / f"staff_attract_indicator_{orient}{suffix}.png")
            window.show_screen("staff")
            panel = window.screens["staff"].panel
            panel.screens["export"].find_drives = lambda: [Drive(stick, "STADT-JENA", 7_800_000_000,
                                                                 8_000_000_000)]
            for page in PAGES:
                panel.show_page(page)
                if page == "moderate":
                    screen = panel.screens["moderate"]
                    screen.list.setCurrentRow(2)
                    screen.delete.click()
                if page == "export":
                    screen = panel.screens["export"]
                    if screen.result is None:
                        screen.refresh()
                        screen.run_export()
                        while screen.job is not None:
                            settle(0.02)
                settle(0.1)
                capture(out / f"staff_{page}_{orient}{suffix}.png")
                if page == "browse":
                    panel.screens["browse"].show_drawings.click()
                    settle(0.3)
                    capture(out / f"staff_browse_drawings_{orient}{suffix}.png")
                    panel.screens["browse"].show_ideas.click()
            panel.screens["moderate"].confirm.no.click() if hasattr(panel.screens["moderate"], "confirm") else None
        window.exit_kiosk()
        dispose(window.parts)
    if args.check:
        print(*found, sep="\n")
        return 1 if found else 0
    print(f"wrote {len(list(out.glob('staff_*.png')))} screenshots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
