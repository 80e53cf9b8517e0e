"""Render the drawing studio's screens offscreen into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_drawing.py [OUT_DIR]

The shell's screenshot script can call :func:`render_drawing_screens` instead.
Shots: empty studio, a drawing (two children's strokes and stamps), the
colouring page, the Done form and the thank-you, each in landscape 1920x1080
and portrait 1080x1920.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def _paint_city(screen, colouring: bool) -> None:
    """Draw a plausible child's picture with real input events (mouse and stamps)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    c = screen.canvas
    studio = screen.studio
    W, H = c.width(), c.height()

    def stroke(color, size, pts):
        studio._colour(color)
        studio.colours.select(color)
        studio._size(size)
        dense = [pts[0]]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):   # a finger sends many points along a line
            n = max(1, int(math.hypot(bx - ax, by - ay) // 12))
            dense += [(ax + (bx - ax) * k // n, ay + (by - ay) * k // n) for k in range(1, n + 1)]
        QTest.mousePress(c, Qt.MouseButton.LeftButton, pos=QPoint(*dense[0]))
        for p in dense[1:]:
            QTest.mouseMove(c, QPoint(*p))
        QTest.mouseRelease(c, Qt.MouseButton.LeftButton, pos=QPoint(*pts[-1]))

    def stamp(kind, color, size, x, y):
        studio._colour(color)
        c.set_size(size)
        studio._stamp(kind)
        QTest.mouseClick(c, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))

    if colouring:
        studio.tools.page.setChecked(True)
        for y in range(int(H * 0.78), H, 22):                  # the river, coloured in blue
            stroke("#56b4e9", 2, [(int(W * 0.02) + (k % 2) * 10, y) for k in range(2)] + [(W - 10, y)])
        for y in range(int(H * 0.66), int(H * 0.74), 18):      # the street
            stroke("#f0e442", 2, [(10, y), (W - 10, y)])
        stroke("#d55e00", 2, [(int(W * 0.16), int(H * 0.56)), (int(W * 0.4), int(H * 0.56))])
        stroke("#009e73", 2, [(int(W * 0.72), int(H * 0.5)), (int(W * 0.76), int(H * 0.55)),
                              (int(W * 0.88), int(H * 0.5))])
        stroke("#e69f00", 2, [(W - int(min(W, H) * 0.16), int(min(W, H) * 0.12)),
                              (W - int(min(W, H) * 0.12), int(min(W, H) * 0.14))])
        studio._size(1)
        return
    # sky and sun
    sun = (int(W * 0.85), int(H * 0.16))
    stroke("#e69f00", 2, [(sun[0] + int(30 * math.cos(a / 6)), sun[1] + int(30 * math.sin(a / 6))) for a in range(40)])
    for k in range(8):
        a = k * math.pi / 4
        stroke("#e69f00", 1, [(sun[0] + int(70 * math.cos(a)), sun[1] + int(70 * math.sin(a))),
                              (sun[0] + int(110 * math.cos(a)), sun[1] + int(110 * math.sin(a)))])
    # green hills
    stroke("#009e73", 2, [(int(W * x / 40), int(H * 0.72 + 40 * math.sin(x / 4))) for x in range(41)])
    # river
    stroke("#56b4e9", 2, [(int(W * x / 30), int(H * 0.86 + 18 * math.sin(x / 2))) for x in range(31)])
    stroke("#0072b2", 0, [(int(W * x / 30), int(H * 0.9 + 10 * math.sin(x / 2 + 1))) for x in range(31)])
    # houses (outline with the thin brush), roof in red
    for i, (x0, h) in enumerate(((0.08, 0.32), (0.22, 0.44), (0.36, 0.26))):
        x, w = int(W * x0), int(W * 0.1)
        top = int(H * (0.7 - h))
        stroke("#332288", 1, [(x, int(H * 0.7)), (x, top), (x + w, top), (x + w, int(H * 0.7))])
        stroke("#d55e00", 1, [(x - 10, top), (x + w // 2, top - 60), (x + w + 10, top)])
    # stamps
    stamp("tram", "#d55e00", 2, W * 0.56, H * 0.62)
    stamp("tree", "#009e73", 1, W * 0.74, H * 0.6)
    stamp("wind-turbine", "#332288", 2, W * 0.9, H * 0.5)
    stamp("solar-panel", "#0072b2", 0, W * 0.13, H * 0.26)
    stamp("bicycle", "#cc79a7", 0, W * 0.46, H * 0.7)
    stamp("heart", "#d55e00", 0, W * 0.3, H * 0.12)
    stamp("wifi", "#882255", 1, W * 0.62, H * 0.18)
    studio._size(1)
    studio.tools.select_size(1)
    studio._colour("#009e73")
    studio.colours.select("#009e73")


def drive_drawing(screen, config, shot) -> None:  # noqa: ANN001
    """Walk a DrawScreen (alone or inside the built app) through its pages, calling ``shot(name)``."""
    from PySide6.QtWidgets import QApplication

    from kiosk.core.idea_draft import idea_url
    from kiosk.core.model import Submission

    app = QApplication.instance()
    screen.reset()
    shot("empty")
    _paint_city(screen, colouring=False)
    shot("with-drawing")
    screen.studio.tools.new_picture_clicked.emit()
    app.processEvents()
    shot("confirm-new")
    screen.studio.confirm.yes.click()
    _paint_city(screen, colouring=True)
    shot("colouring-page")
    screen.studio.done.click()
    screen.done_page.name.setText("Mia")
    screen.done_page.ages["under-12"].setChecked(True)
    screen.done_page.consent.setChecked(True)
    shot("done-form")
    screen.done_page.name.setFocus()
    screen.done_page.keyboard.show()
    shot("done-keyboard")
    screen.done_page._hide_keyboard()
    sub = Submission(kind="drawing", topic_id="drawing", unfinished=True)
    screen.done_page.show_thanks(sub.reference_code, idea_url(config, sub.reference_code, sub.status_token))
    shot("thanks")
    screen.done_page.show_thanks(sub.reference_code, "", published=False)
    shot("thanks-no-consent")
    screen.reset()


def render_drawing_screens(out_dir: Path, prefix: str = "drawing") -> list[Path]:
    """Render a stand-alone DrawScreen at both orientations and languages; returns the PNG paths."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from kiosk.core.config import DEFAULT_CONFIG, load_config
    from ui.drawing.studio import DrawScreen

    bundled = Path(__file__).resolve().parent.parent / "kiosk" / "kiosk.toml"
    config = load_config(bundled) if bundled.exists() else DEFAULT_CONFIG
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for orient, (w, h) in SIZES.items():
            for lang in config.kiosk.languages:
                screen = DrawScreen(config=config, data_dir=Path(tmp), lang=lang)
                screen.resize(w, h)
                screen.show()
                app.processEvents()

                def shot(name: str) -> None:
                    app.processEvents()
                    path = out_dir / f"{prefix}-{name}-{orient}-{lang}.png"
                    screen.grab().save(str(path))
                    written.append(path)

                drive_drawing(screen, config, shot)
                screen.saver.close()
                screen.close()
                screen.deleteLater()
                app.processEvents()
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    for p in render_drawing_screens(out):
        print(p)
