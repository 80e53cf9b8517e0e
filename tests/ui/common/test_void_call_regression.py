"""Guard against the none_dealloc trap (issue 2).

PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None on every
Qt call that returns nothing; after about 5,000 such calls Python aborts with
"Fatal Python error: none_dealloc". The kiosk makes that many calls within
seconds of drawing. This runs 24,000 void calls of the kinds the kiosk makes
(painting, widget updates, timers) in a child process, so a crash fails this
test instead of killing the run, and checks None's reference count does not
drain (which shows the bug long before the crash).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 24_000

CHILD = textwrap.dedent(f"""
    import sys
    from PySide6.QtCore import QPointF, QTimer
    from PySide6.QtGui import QColor, QImage, QPainter, QPen
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    label = QLabel()
    timer = QTimer()
    painter = QPainter(image)
    pen = QPen(QColor("#004a87"))
    before = sys.getrefcount(None)
    calls = 0
    for i in range({CALLS} // 6):
        painter.setPen(pen)                                   # void
        painter.drawLine(QPointF(0, i % 64), QPointF(63, 0))  # void
        pen.setWidthF(1 + i % 5)                              # void
        label.setText(str(i))                                 # void
        label.update()                                        # void
        timer.stop()                                          # void
        calls += 6
    painter.end()
    after = sys.getrefcount(None)
    print(calls, before, after)
""")


def test_many_void_qt_calls_do_not_crash() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, f"child died ({proc.returncode}): {proc.stderr[-2000:]}"
    assert "none_dealloc" not in proc.stderr
    calls, before, after = (int(x) for x in proc.stdout.split())
    assert calls >= 20_000
    # A leak of one None reference per call would show as a drop of thousands.
    assert after >= before - 100, f"None refcount drained from {before} to {after}"
