"""Autosave survives SIGKILL: the app draws and autosaves, is killed, and the next start recovers.

Both starts are the whole kiosk (``kiosk.app.build``) on the real store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.core import drafts
from kiosk.app import build, close, finish_building
from kiosk.core.drawing import Drawing
from kiosk.core.storage import Store
from ui.drawing import render as R

# The offscreen platform cannot pass a top-level window's size hints on; harmless here.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

REPO = Path(__file__).resolve().parents[3]
CONFIG = REPO / "kiosk.toml"

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractButton, QApplication
    app = QApplication([])
    from kiosk.app import build
    window = build(sys.argv[1], sys.argv[2], windowed=True)
    window.resize(1920, 1080)
    window.show()
    for _ in range(5):
        app.processEvents()
    QTest.mouseClick(window.findChild(QAbstractButton, "attract_drawing"), Qt.MouseButton.LeftButton)
    screen = window.screens["drawing"].ensure()   # the DrawScreen behind its lazy slot
    assert window.current_name == "drawing", window.current_name
    app.processEvents()
    c, dev = screen.canvas, QTest.createTouchDevice()
    def frame(*ops):
        seq = QTest.touchEvent(c, dev, False)
        for action, tid, x, y in ops:
            getattr(seq, action)(tid, QPoint(x, y), c)
        seq.commit()
    frame(("press", 0, 50, 50), ("press", 1, 300, 50))
    for k in range(1, 10):
        frame(("move", 0, 50 + 10 * k, 50 + 20 * k), ("move", 1, 300 - 10 * k, 50 + 20 * k))
    frame(("release", 0, 150, 250), ("release", 1, 200, 250))
    screen.flush_draft()
    assert screen.saver.wait_idle()
    print("DRAFTED", screen._meta.id, flush=True)
    frame(("press", 2, 400, 400))          # still drawing when the power goes
    time.sleep(120)
""")


@pytest.mark.slow
def test_killed_while_drawing_draft_is_recovered_as_unfinished(tmp_path, qtbot):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(CONFIG), str(tmp_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = child.stdout.readline().split()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    assert line[:1] == ["DRAFTED"], (line, child.stderr.read()[-2000:])
    assert child.returncode == -signal.SIGKILL
    draft_id = line[1]
    assert drafts.load_draft(tmp_path) is not None  # the crash left it behind

    window = build(CONFIG, tmp_path, windowed=True)   # the kiosk starts again
    try:
        store = window.parts.store
        assert isinstance(store, Store)
        stored = store.get(draft_id)
        assert stored is not None and stored.unfinished and not stored.consent_given
        assert store.sync_state(draft_id).status == "withheld"  # staff keep or discard it
        drawing = Drawing.from_bytes(stored.blob("strokes").data)
        assert len(drawing.strokes) == 2
        assert R.decode_png(stored.blob("png").data) == R.render(drawing)
        assert "recovered_draft" in [n.kind for n in store.notices]
        assert drafts.load_draft(tmp_path) is None
        screen = finish_building(window).screens["drawing"]
        assert screen.canvas.is_empty() and not screen.canvas.can_undo()  # nothing for the next visitor
    finally:
        close(window)
        QApplication.processEvents()
