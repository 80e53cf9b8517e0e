"""Render every screen offscreen into docs/screenshots/<screen>-<lang>-<orientation>.png.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--config kiosk.toml] [--out DIR]

Builds the real app with ``kiosk.app.build`` (an empty temporary data dir) at
1920x1080 and at 1080x1920, and grabs each screen and overlay in German and
English. Re-run it whenever a screen changes, and look at every picture.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app import build, dispose  # noqa: E402

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
SCREENS = ("attract", "ideas", "drawing", "unavailable", "staff")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=None)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    ap.add_argument("--only", default=None, help="comma-separated screen names")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    names = tuple(args.only.split(",")) if args.only else SCREENS + OVERLAYS
    with tempfile.TemporaryDirectory() as data:
        for orientation, (w, h) in SIZES.items():
            window = build(args.config, data, windowed=True)
            window.resize(w, h)
            window.show()
            settle(app)
            for lang in window.language.languages:
                window.language.set(lang)
                for name in names:
                    print(shoot(window, name, lang, orientation, out))
            window.exit_kiosk()
            dispose(window.parts)
            window.deleteLater()
            settle(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
