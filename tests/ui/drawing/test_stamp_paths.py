"""The receiver's drawing replay draws stamps from sync/receiver/web/static/stamps.js: that file is
the kiosk's stamp outlines now (scripts/stamp_paths.py writes it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_stamps_js_holds_every_stamp_of_the_kiosk_as_drawn_now(qapp):
    spec = importlib.util.spec_from_file_location("stamp_paths", REPO / "scripts" / "stamp_paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from ui.drawing.render import STAMP_KINDS

    text = module.stamps_js()
    assert all(f'"{kind}": "M' in text for kind in STAMP_KINDS)
    assert module.OUT.read_text(encoding="utf-8") == text, "run: QT_QPA_PLATFORM=offscreen python scripts/stamp_paths.py"
