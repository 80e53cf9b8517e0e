"""The drawing canvas: multi-touch, mouse and pen, incremental painting, undo/redo.

Every finger draws its own stroke at the same time. Each input event paints
only the new smoothed segments into an opaque backing image and repaints only
their rectangle, so a move costs the same with 10 or 5,000 strokes on the
canvas. Undo replays at most ``checkpoint_every`` items from the nearest
checkpoint (a copy of the colour layer taken every N finished items while no
finger is down), never the whole drawing.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QInputDevice, QMouseEvent, QPainter, QPaintEvent, QResizeEvent, QTouchEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.drawing import BRUSH_WIDTHS, PALETTE, STAMP_SIZES, Drawing, Item, Stamp, Stroke, overlaps_earlier, \
    quantize, segments_at, tail
from ui.common.i18n import tr
from ui.common.theme import STUDIO_PAPER_EDGE
from ui.drawing import render as R

TOOLS = ("brush", "eraser", "stamp")
_TOUCH_TYPES = {
    QTouchEvent.Type.TouchBegin, QTouchEvent.Type.TouchUpdate, QTouchEvent.Type.TouchEnd,
    QTouchEvent.Type.TouchCancel,
}


def _rect(r: QRectF) -> QRect:
    return r.toAlignedRect()


class CanvasWidget(QWidget):
    """A paper children draw on with fingers, a mouse or a pen.

    Args:
        checkpoint_every: take an undo checkpoint after this many finished items.
        max_checkpoints: keep at most this many (each is one full-size image);
            older ones are thinned so that undo stays fast everywhere.

    Signals:
        item_added(object): a stroke was finished or a stamp placed (the Stroke/Stamp).
        changed(): the picture changed (ink, stamp, undo, redo, new picture, background).
        history_changed(bool, bool): whether undo / redo is possible now; only on change.
    """

    item_added = Signal(object)
    changed = Signal()
    history_changed = Signal(bool, bool)

    def __init__(self, parent: QWidget | None = None, *, checkpoint_every: int = 32,
                 max_checkpoints: int = 12) -> None:
        super().__init__(parent)
        self.setObjectName("draw_canvas")
        self.setAccessibleName(tr("draw.canvas", "de"))  # the studio names it in the visitor's language
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        self.checkpoint_every = checkpoint_every
        self.max_checkpoints = max_checkpoints

        self.tool = "brush"
        self.color = PALETTE[0][0]
        self.size_index = 1
        self.stamp_kind = R.STAMP_KINDS[0]

        self._drawing = Drawing(1, 1)
        self._layer = R.new_paper(1, 1)
        self._redo: list[Item] = []
        self._active: dict[object, Stroke] = {}
        self._consumed: set[object] = set()      # touch points that placed a stamp
        self._checkpoints: dict[int, QImage] = {}
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last_t = -1
        self._history_state = (False, False)

    # ------------------------------------------------------------ public API

    @property
    def drawing(self) -> Drawing:
        """The live drawing (do not mutate; use :meth:`snapshot` to hand it to another thread)."""
        return self._drawing

    def layer(self) -> QImage:
        """The colour layer (RGB32) as it is now; an implicitly shared copy."""
        return QImage(self._layer)

    def image(self) -> QImage:
        """The picture as it will be saved: colour layer with the colouring page in front."""
        return R.compose(self._layer, self._drawing.background)

    def snapshot(self) -> tuple[Drawing, QImage]:
        """A consistent copy for saving off the GUI thread.

        Cheap: finished items are never changed again, so they are shared; only
        strokes still being drawn are copied; the image is implicitly shared.
        """
        items = [Stroke(i.color, i.width, i.tool, list(i.points)) if isinstance(i, Stroke) and
                 any(i is s for s in self._active.values()) else i for i in self._drawing.items]
        d = self._drawing
        return Drawing(d.width, d.height, d.background, items), QImage(self._layer)

    def is_empty(self) -> bool:
        return self._drawing.is_empty()

    def can_undo(self) -> bool:
        return bool(self._drawing.items)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        self.tool = tool

    def set_color(self, color: str) -> None:
        self.color = QColor(color).name()

    def set_size(self, index: int) -> None:
        self.size_index = max(0, min(len(BRUSH_WIDTHS) - 1, index))

    def set_stamp(self, kind: str) -> None:
        if kind not in R.STAMP_KINDS:
            raise ValueError(f"unknown stamp {kind!r}")
        self.stamp_kind = kind
        self.tool = "stamp"

    def set_background(self, background: str) -> None:
        if background == self._drawing.background:
            return
        if background not in ("blank", "city"):
            raise ValueError(f"unknown background {background!r}")
        self._drawing.background = background
        self.update()
        self.changed.emit()

    @property
    def background(self) -> str:
        return self._drawing.background

    def undo(self) -> None:
        """Take back the most recent stroke or stamp."""
        self._end_all()
        if not self._drawing.items:
            return
        self._redo.append(self._drawing.items.pop())
        self._rebuild()
        self._after_history_change()

    def redo(self) -> None:
        """Bring back what undo took away."""
        self._end_all()
        if not self._redo:
            return
        items = self._drawing.items
        items.append(self._redo.pop())
        k = len(items) - 1
        if overlaps_earlier(items, k):
            # drawn at the same time as an earlier item: checkpoints between them are not valid
            start = items[k].start_t
            first = min(j for j in range(k) if items[j].end_t > start)
            self._checkpoints = {n: img for n, img in self._checkpoints.items() if n <= first}
            self._rebuild()
        else:
            R.apply_steps(self._layer, items, k)
            self._maybe_checkpoint()
        self._after_history_change()

    def clear(self) -> None:
        """A new picture: empty paper, no undo history (the background stays)."""
        self._active.clear()
        self._consumed.clear()
        self._drawing.items = []
        self._redo = []
        self._checkpoints = {}
        self._layer = R.new_paper(self._drawing.width, self._drawing.height)
        self._clock.restart()
        self._last_t = -1
        self.update()
        self.changed.emit()
        self._emit_history()

    def reset(self) -> None:
        """For the next visitor: a new picture on blank paper with the default tools."""
        self._drawing.background = "blank"
        self.clear()
        self.tool, self.color, self.size_index = "brush", PALETTE[0][0], 1
        self.stamp_kind = R.STAMP_KINDS[0]

    def load(self, drawing: Drawing) -> None:
        """Show a stored drawing (for replay tools and tests); clears the history."""
        self._drawing = Drawing(drawing.width, drawing.height, drawing.background, list(drawing.items))
        self._layer = R.render_layer(self._drawing)
        self._redo, self._checkpoints, self._active = [], {}, {}
        self._last_t = max((i.end_t for i in drawing.items), default=-1)
        self.update()
        self.changed.emit()
        self._emit_history()

    # ------------------------------------------------------------ Qt plumbing

    def sizeHint(self) -> QSize:
        return QSize(1200, 800)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 200)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        d = self._drawing
        if d.is_empty() and not self._active and (size.width(), size.height()) != (d.width, d.height):
            d.width, d.height = size.width(), size.height()
            self._layer = R.new_paper(d.width, d.height)
            self._checkpoints = {}
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        r = event.rect()
        p = QPainter(self)
        if self.width() > self._layer.width() or self.height() > self._layer.height():
            p.fillRect(r, QColor(STUDIO_PAPER_EDGE))
        p.drawImage(r, self._layer, r)
        if self._active:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for stroke in self._active.values():
                seg = tail(stroke.points)
                if seg is not None:
                    R.paint_segments(p, [("line", seg[0], seg[1])], stroke.paint_color, stroke.width)
        overlay = R.background_overlay(self._drawing.background, self._layer.width(), self._layer.height())
        if overlay is not None:
            p.drawImage(r, overlay, r)
        p.end()

    def event(self, e) -> bool:  # noqa: ANN001 - QEvent
        if e.type() in _TOUCH_TYPES:
            self._touch(e)
            e.accept()
            return True
        return super().event(e)

    def _from_touchscreen(self, e: QMouseEvent) -> bool:
        dev = e.device()
        return dev is not None and dev.type() == QInputDevice.DeviceType.TouchScreen

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton or self._from_touchscreen(e):
            return
        t = self._now()
        self._input([("mouse", "press", e.position())], t)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if "mouse" not in self._active or self._from_touchscreen(e):
            return
        self._input([("mouse", "move", e.position())], self._now())

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton or self._from_touchscreen(e):
            return
        if "mouse" in self._active or "mouse" in self._consumed:
            self._input([("mouse", "release", e.position())], self._now())

    def _touch(self, e: QTouchEvent) -> None:
        t = self._now()
        cancel = e.type() == QTouchEvent.Type.TouchCancel
        if cancel:  # the system took the touch away (e.g. a gesture): lift every finger where it is
            ops = [(key, "release", QPointF(s.points[-1][0], s.points[-1][1]))
                   for key, s in self._active.items() if isinstance(key, tuple) and key[0] == "touch"]
            self._consumed = {k for k in self._consumed if not (isinstance(k, tuple) and k[0] == "touch")}
            self._input(ops, t)
            return
        ops = []
        for pt in e.points():
            key = ("touch", pt.id())
            state = pt.state()
            if state == pt.State.Released:
                ops.append((key, "release", pt.position()))
            elif state == pt.State.Pressed:
                ops.append((key, "press", pt.position()))
            elif state == pt.State.Updated:
                ops.append((key, "move", pt.position()))
        self._input(ops, t)

    # ------------------------------------------------------------ drawing

    def _now(self) -> int:
        """Milliseconds since the picture was started, strictly increasing per input event."""
        t = max(int(self._clock.elapsed()), self._last_t + 1)
        self._last_t = t
        return t

    def _order(self, key: object) -> tuple[int, int]:
        """Paint the points of one event in item order, new strokes last (as the renderer sorts)."""
        stroke = self._active.get(key)
        if stroke is not None:
            for k in range(len(self._drawing.items) - 1, -1, -1):
                if self._drawing.items[k] is stroke:
                    return (0, k)
        return (1, 0)

    def _input(self, ops: list[tuple[object, str, QPointF]], t: int) -> None:
        """Apply one input event's point changes, painting into the backing image."""
        if not ops:
            return
        ops = sorted(ops, key=lambda op: self._order(op[0]))
        dirty = QRectF()
        finished: list[Item] = []
        p = R.begin(self._layer)
        try:
            for key, what, pos in ops:
                x, y = quantize(pos.x()), quantize(pos.y())
                if what == "press":
                    dirty |= self._press(p, key, x, y, t, finished)
                elif what == "move":
                    dirty |= self._move(p, key, x, y, t)
                else:
                    dirty |= self._release(p, key, x, y, t, finished)
        finally:
            p.end()
        if not dirty.isEmpty():
            self.update(_rect(dirty))
        for item in finished:
            self._committed(item)

    def _press(self, p: QPainter, key: object, x: float, y: float, t: int, finished: list[Item]) -> QRectF:
        if key in self._active:             # a press without release: close the old stroke first
            self._release(p, key, x, y, t, finished)
        self._consumed.discard(key)
        if self._redo:
            self._redo = []
        if self.tool == "stamp":
            stamp = Stamp(self.stamp_kind, x, y, STAMP_SIZES[self.size_index], self.color, t)
            self._drawing.items.append(stamp)
            R.paint_stamp(p, stamp)
            self._consumed.add(key)
            finished.append(stamp)
            return R.stamp_rect(stamp)
        tool = "eraser" if self.tool == "eraser" else "brush"
        stroke = Stroke(self.color, BRUSH_WIDTHS[self.size_index], tool, [(x, y, t)])
        self._drawing.items.append(stroke)
        self._active[key] = stroke
        segs = segments_at(stroke.points, 0, False)
        R.paint_segments(p, segs, stroke.paint_color, stroke.width)
        return R.segments_rect(segs, stroke.width)

    def _tail_rect(self, stroke: Stroke) -> QRectF:
        seg = tail(stroke.points)
        return R.segments_rect([("line", seg[0], seg[1])], stroke.width) if seg else QRectF()

    def _move(self, p: QPainter, key: object, x: float, y: float, t: int) -> QRectF:
        stroke = self._active.get(key)
        if stroke is None:
            return QRectF()
        last = stroke.points[-1]
        if (x, y) == (last[0], last[1]):
            return QRectF()
        old_tail = self._tail_rect(stroke)
        stroke.points.append((x, y, t))
        segs = segments_at(stroke.points, len(stroke.points) - 1, False)
        R.paint_segments(p, segs, stroke.paint_color, stroke.width)
        return old_tail | R.segments_rect(segs, stroke.width) | self._tail_rect(stroke)

    def _release(self, p: QPainter, key: object, x: float, y: float, t: int, finished: list[Item]) -> QRectF:
        self._consumed.discard(key)
        stroke = self._active.pop(key, None)
        if stroke is None:
            return QRectF()
        old_tail = self._tail_rect(stroke)
        stroke.points.append((x, y, t))
        segs = segments_at(stroke.points, len(stroke.points) - 1, True)
        R.paint_segments(p, segs, stroke.paint_color, stroke.width)
        finished.append(stroke)
        return old_tail | R.segments_rect(segs, stroke.width)

    def _end_all(self) -> None:
        """Lift every finger (before undo, redo or a new picture)."""
        if not self._active:
            return
        t = self._now()
        ops = [(key, "release", QPointF(s.points[-1][0], s.points[-1][1])) for key, s in self._active.items()]
        self._input(ops, t)

    def _committed(self, item: Item) -> None:
        item.seal()
        self._maybe_checkpoint()
        self.item_added.emit(item)
        self.changed.emit()
        self._emit_history()

    # ------------------------------------------------------------ checkpoints

    def _maybe_checkpoint(self) -> None:
        n = len(self._drawing.items)
        if self._active or n == 0:
            return
        last = max(self._checkpoints, default=0)
        if n - last < self.checkpoint_every:
            return
        self._checkpoints[n] = self._layer.copy()
        self._thin_checkpoints()

    def _thin_checkpoints(self) -> None:
        """Drop the checkpoint whose loss leaves the smallest gap (never the newest)."""
        while len(self._checkpoints) > self.max_checkpoints:
            keys = sorted(self._checkpoints)
            bounds = [0] + keys
            best = min(range(len(keys) - 1), key=lambda i: bounds[i + 2] - bounds[i])
            del self._checkpoints[keys[best]]

    def _rebuild(self) -> None:
        """Make the layer show exactly ``items``: nearest checkpoint plus the items after it."""
        n = len(self._drawing.items)
        self._checkpoints = {k: img for k, img in self._checkpoints.items() if k <= n}
        base = max(self._checkpoints, default=0)
        if base:
            self._layer = self._checkpoints[base].copy()
        else:
            self._layer = R.new_paper(self._drawing.width, self._drawing.height)
        R.apply_steps(self._layer, self._drawing.items, base)
        self.update()

    def _after_history_change(self) -> None:
        self.update()
        self.changed.emit()
        self._emit_history()

    def _emit_history(self) -> None:
        state = (self.can_undo(), self.can_redo())
        if state != self._history_state:
            self._history_state = state
            self.history_changed.emit(*state)
