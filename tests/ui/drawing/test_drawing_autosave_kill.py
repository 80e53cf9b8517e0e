"""Autosave survives SIGKILL: a child draws and autosaves, is killed, the next start recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import drafts
from kiosk.drawing import Drawing
from ui import drawing_render as R

try:
    from kiosk.storage import Store
except ImportError:  # TODO(#4): kiosk/storage.py is not on main yet; recover into the stand-in meanwhile
    Store = None

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from ui.screens.draw import DrawScreen
    screen = DrawScreen(data_dir=Path(sys.argv[1]))
    screen.resize(900, 700)
    screen.show()
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
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        line = child.stdout.readline().split()
        assert line[:1] == ["DRAFTED"], line
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    draft_id = line[1]

    if Store is not None:
        store = Store.open_in(tmp_path / "data")
    else:
        from tests.ui.drawing.fakes import FakeStore
        store = FakeStore()
    sub = drafts.recover_draft(tmp_path, store)
    assert sub is not None and sub.id == draft_id and sub.unfinished
    stored = store.get(draft_id)
    assert stored is not None and stored.unfinished and not stored.consent_given
    if hasattr(store, "sync_state"):
        assert store.sync_state(draft_id).status == "withheld"
    drawing = Drawing.from_bytes(stored.blob("strokes").data)
    assert len(drawing.strokes) == 2
    assert R.decode_png(stored.blob("png").data) == R.render(drawing)
    notices = getattr(store, "notices")
    kinds = [n.kind if hasattr(n, "kind") else n[0] for n in notices]
    assert "recovered_draft" in kinds

    from ui.screens.draw import DrawScreen
    screen = DrawScreen(data_dir=tmp_path)     # the app starts again: nothing for the next visitor
    qtbot.add_widget(screen)
    assert screen.canvas.is_empty() and drafts.load_draft(tmp_path) is None
    screen.saver.close()
    if hasattr(store, "close"):
        store.close()
