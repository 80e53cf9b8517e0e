"""A child's drawing as data: strokes and stamps, their JSON form, and smoothing.

No Qt here. The canvas builds a :class:`Drawing` while a child draws; the
renderer in ``ui/drawing/render.py`` paints it again. Both paint the very same
segments, which :func:`segments_at` derives from the recorded points, so the
stored stroke data renders back to the stored picture.

Timestamps are milliseconds since the drawing started. The canvas makes them
strictly increasing from one input event to the next, so the order in which
simultaneous strokes (two children at once) were painted can be rebuilt:
sort every painting step by ``(t, item index)`` (see :func:`paint_steps`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Union

FORMAT = "kiosk-drawing"
FORMAT_VERSION = 1

BACKGROUNDS = ("blank", "city")
"""``blank``: white paper; ``city``: the colouring page (outline in front of the colour)."""

TOOLS = ("brush", "eraser")
PAPER = "#ffffff"
"""The colour of the paper; the eraser paints with it."""

Point = tuple[float, float, int]
"""x and y in canvas pixels (rounded to 1/100 px), t in ms since the drawing started."""


# Colours for children, also for colour-blind children: the eight Okabe-Ito
# colours (Okabe & Ito 2008, "Color Universal Design"), white for painting
# over colour on the colouring page, three dark tones from Paul Tol's schemes
# (wine, indigo) and a dark brown, plus a skin tone and a light blue.
# Checked by simulation (Machado et al. 2009, full-severity protanopia,
# deuteranopia and tritanopia, and normal vision): the smallest CIEDE2000
# difference between any two colours is 8.9 (tests/ui/drawing/test_model.py).
# (colour, name): the name is the swatch's objectName (draw_colour_<name>) and its
# catalogue key (draw.colour.<name>).
PALETTE: tuple[tuple[str, str], ...] = (
    ("#000000", "black"),
    ("#5c3317", "brown"),
    ("#882255", "wine_red"),
    ("#d55e00", "vermilion"),
    ("#e69f00", "orange"),
    ("#f0e442", "yellow"),
    ("#f5c9a0", "skin"),
    ("#009e73", "green"),
    ("#99ddff", "light_blue"),
    ("#56b4e9", "sky_blue"),
    ("#0072b2", "blue"),
    ("#332288", "indigo"),
    ("#cc79a7", "pink"),
    ("#ffffff", "white"),
)

BRUSH_WIDTHS = (6.0, 16.0, 40.0)
"""Small, medium and large brush, in canvas pixels."""
STAMP_SIZES = (72.0, 128.0, 200.0)
"""Stamps at the same three sizes."""


@dataclass(slots=True)
class Stroke:
    """One line drawn by one finger, mouse or pen, from touch-down to lift."""

    color: str
    width: float
    tool: str = "brush"
    points: list[Point] = field(default_factory=list)
    _json: str | None = field(default=None, repr=False, compare=False)

    def json_text(self) -> str:
        """This stroke as compact JSON; cached once :meth:`seal` was called."""
        if self._json is not None:
            return self._json
        return json.dumps(self.to_json(lists=False), separators=(",", ":"))

    def seal(self) -> None:
        """The stroke is finished: encode it now, while that costs ~20 us, not all at once on save."""
        self._json = None
        self._json = self.json_text()

    def to_json(self, lists: bool = True) -> dict[str, Any]:
        """``lists=False`` keeps the point tuples (JSON arrays all the same): no new objects
        for the garbage collector to scan while a big drawing is being saved."""
        points = [[x, y, t] for x, y, t in self.points] if lists else self.points
        return {"type": "stroke", "tool": self.tool, "color": self.color, "width": self.width, "points": points}

    @property
    def paint_color(self) -> str:
        return PAPER if self.tool == "eraser" else self.color

    @property
    def start_t(self) -> int:
        return self.points[0][2] if self.points else 0

    @property
    def end_t(self) -> int:
        return self.points[-1][2] if self.points else 0


@dataclass(slots=True)
class Stamp:
    """A picture (tram, tree, sun...) placed with one tap, centred on (x, y)."""

    kind: str
    x: float
    y: float
    size: float
    color: str
    t: int = 0
    _json: str | None = field(default=None, repr=False, compare=False)

    def json_text(self) -> str:
        if self._json is not None:
            return self._json
        return json.dumps(self.to_json(), separators=(",", ":"))

    def seal(self) -> None:
        self._json = None
        self._json = self.json_text()

    def to_json(self, lists: bool = True) -> dict[str, Any]:
        return {"type": "stamp", "kind": self.kind, "x": self.x, "y": self.y, "size": self.size,
                "color": self.color, "t": self.t}

    @property
    def start_t(self) -> int:
        return self.t

    @property
    def end_t(self) -> int:
        return self.t


Item = Union[Stroke, Stamp]


@dataclass(slots=True)
class Drawing:
    """The whole picture: size, background and items in the order they were started."""

    width: int
    height: int
    background: str = "blank"
    items: list[Item] = field(default_factory=list)

    @property
    def strokes(self) -> list[Stroke]:
        return [i for i in self.items if isinstance(i, Stroke)]

    @property
    def stamps(self) -> list[Stamp]:
        return [i for i in self.items if isinstance(i, Stamp)]

    def is_empty(self) -> bool:
        return not self.items

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": FORMAT_VERSION, "width": self.width, "height": self.height,
                "background": self.background, "paper": PAPER, "items": [i.to_json() for i in self.items]}

    def to_bytes(self) -> bytes:
        """Compact JSON. Encoded item by item: one ``json.dumps`` of a big drawing would
        hold the GIL for hundreds of ms and freeze the GUI thread while a worker saves."""
        head = self.to_json()
        head.pop("items")
        parts = [i.json_text() for i in self.items]
        text = json.dumps(head, separators=(",", ":"))[:-1] + ',"items":[' + ",".join(parts) + "]}"
        return text.encode("utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Drawing:
        """Rebuild a drawing; raises ValueError on anything that is not our format."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a kiosk drawing")
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported drawing version {data.get('version')!r}")
        items: list[Item] = []
        for raw in data.get("items", []):
            kind = raw.get("type")
            if kind == "stroke":
                if raw["tool"] not in TOOLS:
                    raise ValueError(f"unknown tool {raw['tool']!r}")
                items.append(Stroke(color=raw["color"], width=float(raw["width"]), tool=raw["tool"],
                                    points=[(float(x), float(y), int(t)) for x, y, t in raw["points"]]))
            elif kind == "stamp":
                items.append(Stamp(kind=raw["kind"], x=float(raw["x"]), y=float(raw["y"]),
                                   size=float(raw["size"]), color=raw["color"], t=int(raw["t"])))
            else:
                raise ValueError(f"unknown item type {kind!r}")
        background = data.get("background", "blank")
        if background not in BACKGROUNDS:
            raise ValueError(f"unknown background {background!r}")
        return cls(width=int(data["width"]), height=int(data["height"]), background=background, items=items)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Drawing:
        return cls.from_json(json.loads(raw.decode("utf-8")))


# ------------------------------------------------------------------ smoothing

Segment = Union[
    tuple[Literal["dot"], tuple[float, float]],
    tuple[Literal["line"], tuple[float, float], tuple[float, float]],
    tuple[Literal["quad"], tuple[float, float], tuple[float, float], tuple[float, float]],
]


def quantize(v: float) -> float:
    """Positions are kept to 1/100 px so that JSON gives back the exact same float."""
    return round(float(v), 2)


def _mid(a: Point, b: Point) -> tuple[float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def segments_at(points: list[Point], i: int, last: bool) -> list[Segment]:
    """The segments to paint when point ``i`` of a stroke arrives.

    Curve smoothing through midpoints: each new point closes a quadratic Bézier
    from the previous midpoint to the new midpoint with the previous point as
    control, so the line bends smoothly instead of showing the corners between
    touch samples. The first point paints a dot (ink under the finger at once);
    the last one also paints the short straight tail to where the finger lifted.
    """
    p = points
    if i == 0:
        segs: list[Segment] = [("dot", (p[0][0], p[0][1]))]
    elif i == 1:
        segs = [("line", (p[0][0], p[0][1]), _mid(p[0], p[1]))]
    else:
        segs = [("quad", _mid(p[i - 2], p[i - 1]), (p[i - 1][0], p[i - 1][1]), _mid(p[i - 1], p[i]))]
    if last and i > 0:
        segs.append(("line", _mid(p[i - 1], p[i]), (p[i][0], p[i][1])))
    return segs


def smooth(points: list[Point]) -> list[Segment]:
    """All segments of a finished stroke, in painting order."""
    out: list[Segment] = []
    for i in range(len(points)):
        out.extend(segments_at(points, i, i == len(points) - 1))
    return out


def tail(points: list[Point]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The not yet smoothed piece from the last midpoint to the finger (drawn live, not stored)."""
    if len(points) < 2:
        return None
    return _mid(points[-2], points[-1]), (points[-1][0], points[-1][1])


PaintStep = tuple[int, int, int, Item, list[Segment]]
"""(t, item index, point index, item, segments); a stamp has no segments."""


def paint_steps(items: list[Item], start: int = 0) -> Iterator[PaintStep]:
    """Every painting step of ``items[start:]`` in the order the canvas painted them live."""
    steps: list[PaintStep] = []
    for k in range(start, len(items)):
        item = items[k]
        if isinstance(item, Stamp):
            steps.append((item.t, k, 0, item, []))
        else:
            n = len(item.points)
            for i, pt in enumerate(item.points):
                steps.append((pt[2], k, i, item, segments_at(item.points, i, i == n - 1)))
    steps.sort(key=lambda s: (s[0], s[1], s[2]))
    return iter(steps)


def overlaps_earlier(items: list[Item], k: int) -> bool:
    """Was item ``k`` drawn while an earlier item was still being drawn?"""
    start = items[k].start_t
    return any(items[j].end_t > start for j in range(k))
