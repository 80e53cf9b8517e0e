"""Render every screen of the built kiosk offscreen into docs/screenshots/.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--config kiosk.toml] [--out DIR] [--only NAMES]

Builds the real app with ``kiosk.app.build`` (an empty temporary data dir, the
real store) at 1920x1080 and at 1080x1920 and, in German and English, grabs
the whole window on: the attract screen, every step of the ideas flow
(driven by ``scripts/screenshots_ideas.drive_ideas``), every page of the
drawing studio (``scripts/screenshots_drawing.drive_drawing``), the
unavailable screen, the idle overlay, the PIN pad and the staff screen.

Files: ``<screen>-<lang>-<orientation>.png`` for the shell's screens,
``ideas-<step>-<orientation>-<lang>.png`` and
``drawing-<page>-<orientation>-<lang>.png`` for the flows. Re-run it whenever
a screen changes, and look at every picture.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import build, dispose, finish_building  # noqa: E402
from screenshots_drawing import drive_drawing  # noqa: E402
from screenshots_ideas import drive_ideas  # noqa: E402

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
SCREENS = ("attract", "unavailable", "staff")
FLOWS = ("ideas", "drawing")
OVERLAYS = ("idle", "pin")


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def shoot(window, name: str, lang: str, orientation: str, out: Path) -> Path:  # noqa: ANN001
    window.parts.idle.stop()
    window.idle_overlay.stop()
    window.pin_pad.reset()
    if name in OVERLAYS:
        window.show_screen("ideas" if name == "idle" else "attract")
        window.parts.idle.stop()
        if name == "idle":
            window.idle_overlay.start(window.config.idle.countdown_s)
            window.idle_overlay._tick.stop()  # freeze the number for the picture
        else:
            window.pin_pad.open()
            for d in "12":
                window.pin_pad.press_digit(d)
    else:
        window.show_screen(name)
        window.parts.idle.stop()
    settle(window.parts.app)
    path = out / f"{name}-{lang}-{orientation}.png"
    window.grab().save(str(path))
    return path


def shoot_flow(window, flow: str, lang: str, orientation: str, out: Path) -> list[Path]:  # noqa: ANN001
    """Drive one flow inside the window and grab the whole window at each step."""
    written: list[Path] = []
    window.idle_overlay.stop()
    window.pin_pad.reset()  # closes the pad a previous shot left open
    window.show_screen(flow)
    window.parts.idle.stop()
    screen = window.screens[flow].ensure()

    def shot(step: str) -> None:
        window.parts.idle.stop()
        settle(window.parts.app)
        path = out / f"{flow}-{step}-{orientation}-{lang}.png"
        window.grab().save(str(path))
        written.append(path)

    if flow == "ideas":
        drive_ideas(screen.flow, window.config, lang, shot)
    else:
        drive_drawing(screen, window.config, shot)
    window.reset_session()
    window.language.set(lang)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=None)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    ap.add_argument("--only", default=None, help="comma-separated screen names")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    names = tuple(args.only.split(",")) if args.only else SCREENS + OVERLAYS + FLOWS
    with tempfile.TemporaryDirectory() as data:
        for orientation, (w, h) in SIZES.items():
            window = finish_building(build(args.config, data, windowed=True))
            window.resize(w, h)
            window.show()
            settle(app)
            for lang in window.language.languages:
                window.language.set(lang)
                for name in names:
                    if name in FLOWS:
                        for path in shoot_flow(window, name, lang, orientation, out):
                            print(path)
                    else:
                        print(shoot(window, name, lang, orientation, out))
            window.exit_kiosk()
            dispose(window.parts)
            window.deleteLater()
            settle(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
