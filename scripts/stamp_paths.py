#!/usr/bin/env python3
"""The kiosk's drawing stamps as SVG path data for the receiver's drawing replay.

The kiosk paints a stamp as its mdi6 icon's outline (qtawesome's font, ``ui.drawing.render``),
scaled into a 1x1 box centred on the stamp's point. The receiver has no Qt and no icon font, so
its replay (``sync/receiver/web/static/replay.js``) draws the same outlines from
``sync/receiver/web/static/stamps.js``, written by this script (run it again when
``STAMP_KINDS`` changes; tests/ui/drawing/test_stamp_paths.py checks the file is current).

    QT_QPA_PLATFORM=offscreen python scripts/stamp_paths.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "sync" / "receiver" / "web" / "static" / "stamps.js"


def svg_path(path) -> str:  # noqa: ANN001 - a QPainterPath
    """A QPainterPath as SVG path data (moves, lines, cubic curves), 4 decimals in the 1x1 box."""
    from PySide6.QtGui import QPainterPath

    def n(v: float) -> str:
        text = f"{v:.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    out, i = [], 0
    kinds = QPainterPath.ElementType
    while i < path.elementCount():
        e = path.elementAt(i)
        if e.type == kinds.MoveToElement:
            out.append(f"M{n(e.x)} {n(e.y)}")
        elif e.type == kinds.LineToElement:
            out.append(f"L{n(e.x)} {n(e.y)}")
        elif e.type == kinds.CurveToElement:
            c2, end = path.elementAt(i + 1), path.elementAt(i + 2)
            out.append(f"C{n(e.x)} {n(e.y)} {n(c2.x)} {n(c2.y)} {n(end.x)} {n(end.y)}")
            i += 2
        i += 1
    return "".join(out)


def stamps_js() -> str:
    from ui.drawing.render import STAMP_KINDS, _stamp_path

    paths = {kind: svg_path(_stamp_path(kind)) for kind in STAMP_KINDS}
    return ("// Written by scripts/stamp_paths.py: the kiosk's stamps (mdi6 icons, ui/drawing/render.py) as SVG\n"
            "// path data in a 1x1 box centred on (0, 0), filled even-odd as Qt fills them. Do not edit.\n"
            f"window.KIOSK_STAMPS = {json.dumps(paths, indent=0, sort_keys=True)};\n")


def main() -> int:
    sys.path.insert(0, str(REPO))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # the icon font needs a GUI application
    OUT.write_text(stamps_js(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size:,} bytes)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
