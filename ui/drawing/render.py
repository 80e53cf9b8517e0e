"""Paint a :class:`kiosk.core.drawing.Drawing` onto a QImage.

One set of painting primitives for everything: the canvas paints each
segment live with :func:`paint_step`, undo replays steps from a checkpoint with
:func:`apply_steps`, and :func:`render` rebuilds a stored drawing from its
stroke JSON. Because all three call the same functions with the same
arguments in the same order, the result is the same to the pixel.

Images are ``Format_RGB32`` (opaque): faster to paint and to encode as PNG
than ARGB, and smaller. The colouring page is a separate transparent overlay
that is composed IN FRONT of the colour layer (:func:`compose`).
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen, QTransform

from kiosk.core.drawing import PAPER, Drawing, Item, Segment, Stamp, paint_steps

IMAGE_FORMAT = QImage.Format.Format_RGB32

# Stamps: mdi6 icon names, each named for screen readers by the catalogue's draw.stamp.<kind>.
# Every name is checked against qtawesome's mdi6 charmap in tests/ui/drawing/test_render.py.
STAMP_KINDS: tuple[str, ...] = (
    "tram", "bus", "bicycle", "car-electric", "tree", "flower", "home", "school",
    "hospital-building", "solar-panel", "wind-turbine", "wifi", "white-balance-sunny", "heart",
    "human", "human-child", "dog", "robot",
)


def new_paper(width: int, height: int) -> QImage:
    """A blank, opaque colour layer."""
    img = QImage(max(1, width), max(1, height), IMAGE_FORMAT)
    img.fill(QColor(PAPER))
    return img


def _pen(color: str, width: float) -> QPen:
    pen = QPen(QColor(color), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    return pen


def paint_segments(p: QPainter, segs: list[Segment], color: str, width: float) -> None:
    """Paint smoothed stroke segments (see :func:`kiosk.core.drawing.segments_at`)."""
    for seg in segs:
        if seg[0] == "dot":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(color))
            x, y = seg[1]
            p.drawEllipse(QPointF(x, y), width / 2, width / 2)
        elif seg[0] == "line":
            p.setPen(_pen(color, width))
            p.setBrush(Qt.BrushStyle.NoBrush)
            (ax, ay), (bx, by) = seg[1], seg[2]
            if (ax, ay) != (bx, by):
                p.drawLine(QPointF(ax, ay), QPointF(bx, by))
        else:
            p.setPen(_pen(color, width))
            p.setBrush(Qt.BrushStyle.NoBrush)
            (ax, ay), (cx, cy), (bx, by) = seg[1], seg[2], seg[3]
            path = QPainterPath(QPointF(ax, ay))
            path.quadTo(QPointF(cx, cy), QPointF(bx, by))
            p.drawPath(path)


def segments_rect(segs: list[Segment], width: float) -> QRectF:
    """The area a list of segments can touch, with room for antialiasing."""
    xs = [c[0] for seg in segs for c in seg[1:]]
    ys = [c[1] for seg in segs for c in seg[1:]]
    m = width / 2 + 2
    return QRectF(min(xs) - m, min(ys) - m, max(xs) - min(xs) + 2 * m, max(ys) - min(ys) + 2 * m)


@lru_cache(maxsize=64)
def _stamp_path(kind: str) -> QPainterPath:
    """The stamp's outline, scaled into a 1x1 box centred on (0, 0)."""
    import qtawesome as qta

    font: QFont = qta.font("mdi6", 100)
    path = QPainterPath()
    path.addText(0, 0, font, qta.charmap(f"mdi6.{kind}"))
    br = path.boundingRect()
    if br.isEmpty():
        return path
    s = 1.0 / max(br.width(), br.height())
    t = QTransform()
    t.scale(s, s)
    t.translate(-br.center().x(), -br.center().y())
    return t.map(path)


def stamp_rect(stamp: Stamp) -> QRectF:
    h = stamp.size / 2 + 2
    return QRectF(stamp.x - h, stamp.y - h, 2 * h, 2 * h)


def paint_stamp(p: QPainter, stamp: Stamp) -> None:
    path = _stamp_path(stamp.kind)
    p.save()
    p.translate(stamp.x, stamp.y)
    p.scale(stamp.size, stamp.size)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(stamp.color))
    p.drawPath(path)
    p.restore()


def begin(img: QImage) -> QPainter:
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    return p


def paint_step(p: QPainter, item: Item, segs: list[Segment]) -> None:
    """One painting step: the segments one input event added to a stroke, or a stamp."""
    if isinstance(item, Stamp):
        paint_stamp(p, item)
    else:
        paint_segments(p, segs, item.paint_color, item.width)


def apply_steps(img: QImage, items: list[Item], start: int = 0) -> None:
    """Paint ``items[start:]`` onto ``img`` in the order they were painted live."""
    p = begin(img)
    try:
        for _t, _k, _i, item, segs in paint_steps(items, start):
            paint_step(p, item, segs)
    finally:
        p.end()


def render_layer(drawing: Drawing) -> QImage:
    """The colour layer of a drawing, painted from its items alone."""
    img = new_paper(drawing.width, drawing.height)
    apply_steps(img, drawing.items)
    return img


def render(drawing: Drawing) -> QImage:
    """The finished picture: colour layer with the background's outline in front."""
    return compose(render_layer(drawing), drawing.background)


COMPOSE_BAND = 64
"""Rows per step in :func:`compose`: PySide6 holds the GIL during a QImage copy or
blend, so a full-screen one (15-25 ms) on the saver thread would freeze the GUI
thread for that long; band by band, the GUI thread gets the GIL back every ~1 ms."""


def compose(layer: QImage, background: str) -> QImage:
    """The picture to save: the colour layer with the colouring page (if any) in front.

    Blank paper returns ``layer`` itself (implicitly shared, nothing copied).
    """
    overlay = background_overlay(background, layer.width(), layer.height())
    if overlay is None:
        return QImage(layer)
    out = QImage(layer.size(), IMAGE_FORMAT)
    w, h = layer.width(), layer.height()
    p = QPainter(out)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    for y in range(0, h, COMPOSE_BAND):
        band = QRect(0, y, w, min(COMPOSE_BAND, h - y))
        p.drawImage(band, layer, band)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    for y in range(0, h, COMPOSE_BAND):
        band = QRect(0, y, w, min(COMPOSE_BAND, h - y))
        p.drawImage(band, overlay, band)
    p.end()
    return out


def encode_png(img: QImage) -> bytes:
    """PNG bytes at default compression (maximum is six times slower for 3 % less)."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise OSError("PNG encoding failed")
    buf.close()
    return bytes(data.data())


def decode_png(data: bytes) -> QImage:
    img = QImage()
    img.loadFromData(data, "PNG")
    return img.convertToFormat(IMAGE_FORMAT)


# ------------------------------------------------------------ colouring page

OUTLINE = "#262626"


@lru_cache(maxsize=4)
def background_overlay(background: str, width: int, height: int) -> QImage | None:
    """The colouring page's outline as a transparent image, or None for blank paper.

    Procedural, so it fits any canvas size and orientation: a small skyline
    with a round tower, a tram on its track under the wire, a river with a
    bridge, trees, a wind turbine and the sun. Objects in front hide the
    lines behind them, as in a colouring book.
    """
    if background != "city":
        return None
    img = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _draw_city(p, width, height)
    p.end()
    return img


def _outline(p: QPainter, path: QPainterPath, w: float, hide_behind: bool = True) -> None:
    """Draw ``path``'s outline; first clear its inside so lines behind it vanish."""
    if hide_behind:
        p.save()
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        p.fillPath(path, QBrush(Qt.GlobalColor.black))
        p.restore()
    p.setPen(_pen(OUTLINE, w))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _rect_path(x: float, y: float, w: float, h: float, r: float = 0) -> QPainterPath:
    path = QPainterPath()
    if r:
        path.addRoundedRect(QRectF(x, y, w, h), r, r)
    else:
        path.addRect(QRectF(x, y, w, h))
    return path


def _draw_city(p: QPainter, W: int, H: int) -> None:  # noqa: C901 - one picture, top to bottom
    u = min(W, H) / 100.0          # one unit: 1 % of the shorter side
    lw = max(3.0, 0.55 * u)        # outline width
    thin = max(2.0, 0.35 * u)
    ground = H * 0.64              # street level (tram track)
    river_top = H * 0.76

    # sun and clouds
    sun = QPainterPath()
    sx, sy, sr = W - 14 * u, 13 * u, 6.5 * u
    sun.addEllipse(QPointF(sx, sy), sr, sr)
    for k in range(10):
        a = k * math.pi / 5
        sun.moveTo(sx + math.cos(a) * (sr + 2 * u), sy + math.sin(a) * (sr + 2 * u))
        sun.lineTo(sx + math.cos(a) * (sr + 5 * u), sy + math.sin(a) * (sr + 5 * u))
    _outline(p, sun, lw, hide_behind=False)
    for cx, cy, s in ((W * 0.22, 11 * u, 1.0), (W * 0.55, 7 * u, 0.8)):
        cloud = QPainterPath()
        cloud.setFillRule(Qt.FillRule.WindingFill)   # so simplified() unites the puffs
        for dx, dy, r in ((0, 0, 4), (5, -2.5, 5), (10, 0, 4), (5, 1, 4)):
            cloud.addEllipse(QPointF(cx + dx * u * s, cy + dy * u * s), r * u * s, r * u * s)
        _outline(p, cloud.simplified(), lw, hide_behind=False)

    # skyline: (relative width, height in units, kind)
    plan = [(9, 22, "gable"), (11, 34, "flat"), (7, 58, "tower"), (12, 28, "flat"), (10, 40, "steps"),
            (9, 24, "gable"), (13, 32, "flat"), (8, 20, "gable"), (11, 36, "flat")]
    total = sum(w for w, _, _ in plan)
    x = 2 * u
    span = W - 4 * u
    for rel, hu, kind in plan:
        bw = span * rel / total
        bh = min(hu * u, ground - 24 * u) if kind != "tower" else min(hu * u, ground - 8 * u)
        top = ground - bh
        if kind == "tower":  # a round tower with a platform and an antenna, like Jena's JenTower
            body = _rect_path(x + bw * 0.22, top + 6 * u, bw * 0.56, bh - 6 * u, bw * 0.2)
            _outline(p, body, lw)
            crown = _rect_path(x + bw * 0.12, top + 2 * u, bw * 0.76, 5 * u, 1.5 * u)
            _outline(p, crown, lw)
            ant = QPainterPath(QPointF(x + bw / 2, top + 2 * u))
            ant.lineTo(x + bw / 2, top - 5 * u)
            _outline(p, ant, lw, hide_behind=False)
            for row in range(int((bh - 12 * u) // (7 * u))):
                win = _rect_path(x + bw * 0.4, top + 11 * u + row * 7 * u, bw * 0.2, 3.5 * u, 0.8 * u)
                _outline(p, win, thin, hide_behind=False)
        else:
            body = QPainterPath()
            if kind == "gable":
                body.moveTo(x, ground)
                body.lineTo(x, top + bw * 0.35)
                body.lineTo(x + bw / 2, top)
                body.lineTo(x + bw, top + bw * 0.35)
                body.lineTo(x + bw, ground)
                body.closeSubpath()
                wtop = top + bw * 0.45
            elif kind == "steps":
                body.moveTo(x, ground)
                body.lineTo(x, top + 8 * u)
                body.lineTo(x + bw * 0.25, top + 8 * u)
                body.lineTo(x + bw * 0.25, top)
                body.lineTo(x + bw * 0.75, top)
                body.lineTo(x + bw * 0.75, top + 8 * u)
                body.lineTo(x + bw, top + 8 * u)
                body.lineTo(x + bw, ground)
                body.closeSubpath()
                wtop = top + 11 * u
            else:
                body.addRect(QRectF(x, top, bw, bh))
                wtop = top + 3 * u
            _outline(p, body, lw)
            cols = max(1, int(bw // (6 * u)))
            rows = max(0, int((ground - 12 * u - wtop) // (7 * u)))
            cw = bw / cols
            for r in range(rows):
                for c in range(cols):
                    win = _rect_path(x + c * cw + cw * 0.28, wtop + r * 7 * u, cw * 0.44, 4 * u, 0.6 * u)
                    _outline(p, win, thin, hide_behind=False)
            if kind == "flat" and bw > 8 * u:  # solar panels on the roof
                for c in range(max(1, int(bw // (8 * u)))):
                    panel = QPainterPath()
                    px = x + 1.5 * u + c * 8 * u
                    panel.moveTo(px, top)
                    panel.lineTo(px + 2 * u, top - 3 * u)
                    panel.lineTo(px + 7 * u, top - 3 * u)
                    panel.lineTo(px + 5 * u, top)
                    _outline(p, panel, thin, hide_behind=False)
        x += bw

    # a wind turbine on the right, behind the street
    tx, tt = W - 8 * u, ground - 38 * u
    mast = QPainterPath(QPointF(tx - 1 * u, ground))
    mast.lineTo(tx - 0.4 * u, tt)
    mast.lineTo(tx + 0.4 * u, tt)
    mast.lineTo(tx + 1 * u, ground)
    mast.closeSubpath()
    _outline(p, mast, lw)
    for k in range(3):
        a = -math.pi / 2 + k * 2 * math.pi / 3 + 0.3
        blade = QPainterPath(QPointF(tx, tt))
        ex, ey = tx + math.cos(a) * 13 * u, tt + math.sin(a) * 13 * u
        nx, ny = -math.sin(a) * 1.6 * u, math.cos(a) * 1.6 * u
        blade.quadTo(QPointF((tx + ex) / 2 + nx, (tt + ey) / 2 + ny), QPointF(ex, ey))
        blade.quadTo(QPointF((tx + ex) / 2 - nx * 0.3, (tt + ey) / 2 - ny * 0.3), QPointF(tx, tt))
        _outline(p, blade, thin * 1.2)
    hub = QPainterPath()
    hub.addEllipse(QPointF(tx, tt), 1.4 * u, 1.4 * u)
    _outline(p, hub, thin)

    # street, overhead wire and tram
    street = _rect_path(-lw, ground, W + 2 * lw, river_top - ground)
    _outline(p, street, lw)
    wire_y = ground - 19 * u
    wire = QPainterPath(QPointF(0, wire_y))
    wire.lineTo(W, wire_y)
    for px in (W * 0.06, W * 0.5, W * 0.94):
        wire.moveTo(px, wire_y - 1 * u)
        wire.lineTo(px, ground)
    _outline(p, wire, thin, hide_behind=False)
    tram_w, tram_h = min(46 * u, W * 0.5), 12 * u
    tx0, ty0 = W * 0.14, ground - tram_h - 2.2 * u
    tram = QPainterPath()
    tram.addRoundedRect(QRectF(tx0, ty0, tram_w, tram_h), 3 * u, 3 * u)
    _outline(p, tram, lw)
    pant = QPainterPath(QPointF(tx0 + tram_w * 0.45, ty0))
    pant.lineTo(tx0 + tram_w * 0.52, wire_y + 0.5 * u)
    pant.lineTo(tx0 + tram_w * 0.6, ty0)
    _outline(p, pant, thin, hide_behind=False)
    n_win = 5
    gap = tram_w / (n_win * 4 + 1)
    for k in range(n_win):
        win = _rect_path(tx0 + gap + k * 4 * gap, ty0 + 2 * u, 3 * gap, 4.5 * u, 1 * u)
        _outline(p, win, thin, hide_behind=False)
    stripe = QPainterPath(QPointF(tx0, ty0 + tram_h * 0.78))
    stripe.lineTo(tx0 + tram_w, ty0 + tram_h * 0.78)
    _outline(p, stripe, thin, hide_behind=False)
    for wx in (tx0 + tram_w * 0.18, tx0 + tram_w * 0.82):
        wheel = QPainterPath()
        wheel.addEllipse(QPointF(wx, ground - 1.8 * u), 2.2 * u, 2.2 * u)
        _outline(p, wheel, thin * 1.3)

    # trees on the street, right of the tram
    for fx in (0.74, 0.86):
        trx = W * fx
        crown = QPainterPath()
        crown.addEllipse(QPointF(trx, ground - 9 * u), 5 * u, 6 * u)
        trunk = _rect_path(trx - 1 * u, ground - 4 * u, 2 * u, 4 * u)
        _outline(p, trunk, thin)
        _outline(p, crown, lw)

    # river with waves and a bridge
    river = QPainterPath(QPointF(-lw, river_top))
    river.lineTo(W + lw, river_top)
    _outline(p, river, lw, hide_behind=False)
    for row in range(3):
        wy = river_top + (5 + row * 6) * u
        if wy > H - 2 * u:
            break
        wave = QPainterPath()
        start = (row % 2) * 6 * u + 3 * u
        xw = start
        while xw < W - 8 * u:
            wave.moveTo(xw, wy)
            wave.quadTo(QPointF(xw + 2 * u, wy - 1.6 * u), QPointF(xw + 4 * u, wy))
            wave.quadTo(QPointF(xw + 6 * u, wy + 1.6 * u), QPointF(xw + 8 * u, wy))
            xw += 22 * u
        _outline(p, wave, thin, hide_behind=False)
    bx0, bx1 = W * 0.52, W * 0.80
    by = river_top
    bridge = QPainterPath(QPointF(bx0, by))
    bridge.lineTo(bx1, by)
    bridge.lineTo(bx1, by + 4 * u)
    bridge.quadTo(QPointF((bx0 + bx1) / 2, by - 2 * u), QPointF(bx0, by + 4 * u))
    bridge.closeSubpath()
    _outline(p, bridge, lw)
    # a little boat
    bw_, bh_ = 14 * u, 4 * u
    bxx, byy = W * 0.2, river_top + 9 * u
    if byy + bh_ < H:
        boat = QPainterPath(QPointF(bxx, byy))
        boat.lineTo(bxx + bw_, byy)
        boat.lineTo(bxx + bw_ * 0.82, byy + bh_)
        boat.lineTo(bxx + bw_ * 0.18, byy + bh_)
        boat.closeSubpath()
        _outline(p, boat, lw)
        sail = QPainterPath(QPointF(bxx + bw_ * 0.5, byy - 0.2 * u))
        sail.lineTo(bxx + bw_ * 0.5, byy - 10 * u)
        sail.lineTo(bxx + bw_ * 0.85, byy - 1.5 * u)
        sail.closeSubpath()
        _outline(p, sail, thin * 1.3)
