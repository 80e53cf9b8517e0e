"""On-screen key press until the idea field has repainted, against a bare QTextEdit.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_keyboard.py [N]

Both measurements run in the same process, on a field that already holds
1,000 characters, and end when the text field's viewport has received and
finished its paint event:

* keyboard: a mouse click on the on-screen "a" key of the real ideas flow
  (signal -> WriteScreen -> cleaning and limit -> insert -> count label);
* floor: ``QTextEdit.insertPlainText("a")`` on a bare QTextEdit of the same size.

Prints median and 99th percentile of each and their ratio. Not a test.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget  # noqa: E402

START_TEXT = ("Mehr Bänke und Schatten im Paradiespark, bitte! " * 30)[:1000]


class PaintWatch(QObject):
    def __init__(self, target: QWidget) -> None:
        super().__init__()
        self.painted = False
        target.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def until_painted(app: QApplication, watch: PaintWatch) -> None:
    for _ in range(1000):
        app.processEvents()
        if watch.painted:
            return
    raise RuntimeError("the field never repainted")


def time_presses(app: QApplication, viewport: QWidget, press: Callable[[], None], undo: Callable[[], None],
                 n: int) -> list[float]:
    """Seconds from each ``press()`` until ``viewport`` repainted; ``undo()`` after each, not timed."""
    watch = PaintWatch(viewport)
    for _ in range(20):
        app.processEvents()
    times = []
    for _ in range(n):
        watch.painted = False
        t0 = time.perf_counter()
        press()
        until_painted(app, watch)
        times.append(time.perf_counter() - t0)
        undo()
        watch.painted = False
        until_painted(app, watch)
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_keyboard(app: QApplication, n: int) -> list[float]:
    from kiosk.core.config import BUNDLED_CONFIG, load_config  # noqa: PLC0415
    from ui.ideas.flow import IdeaFlow  # noqa: PLC0415

    config = load_config(BUNDLED_CONFIG)
    config = dataclasses.replace(config, flows=dataclasses.replace(config.flows, text_limit=5000))

    class NoStore:
        def add(self, sub) -> None:  # noqa: ANN001
            pass

    flow = IdeaFlow(config, NoStore())
    flow.resize(1920, 1080)
    flow.show()
    flow.topics.cards[config.topics[0].id].click()
    flow.goals.own.click()
    field = flow.write.text
    field.setFocus()
    field.insert_text(START_TEXT)
    key = flow.write.keyboard.button("a")
    times = time_presses(app, field.viewport(), lambda: QTest.mouseClick(key, Qt.MouseButton.LeftButton),
                         lambda: field.press_key("⌫"), n)  # back to 1,000 characters, not timed
    assert len(field.value()) == 1000
    flow.close()
    return times


def bench_floor(app: QApplication, n: int) -> list[float]:
    edit = QTextEdit()
    edit.resize(1824, 300)
    edit.setStyleSheet("font-size: 30px;")  # the ideas flow's text size
    edit.show()
    edit.setPlainText(START_TEXT)
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    times = time_presses(app, edit.viewport(), lambda: edit.insertPlainText("a"),
                         lambda: edit.textCursor().deletePreviousChar(), n)
    edit.close()
    return times


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    app = QApplication.instance() or QApplication(sys.argv[:1])
    floor = bench_floor(app, n)
    keys = bench_keyboard(app, n)
    fm, fp = statistics.median(floor), percentile(floor, 99)
    km, kp = statistics.median(keys), percentile(keys, 99)
    print(f"platform: {app.platformName()}, {n} presses each, 1,000 characters in the field")
    print(f"{'':34} {'median':>10} {'p99':>10}")
    print(f"{'on-screen key -> repainted':34} {km * 1000:8.2f} ms {kp * 1000:8.2f} ms")
    print(f"{'floor: QTextEdit.insertPlainText':34} {fm * 1000:8.2f} ms {fp * 1000:8.2f} ms")
    print(f"{'ratio':34} {km / fm:10.2f} {kp / fp:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
