"""The Qt-free drawing model: JSON round trip, smoothing, and the palette's claim."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.drawing import PALETTE, Drawing, Stamp, Stroke, paint_steps, segments_at, smooth

coord = st.floats(min_value=-50, max_value=2000, allow_nan=False).map(lambda v: round(v, 2))
points = st.lists(st.tuples(coord, coord, st.integers(0, 10**7)), min_size=1, max_size=20)
strokes = st.builds(Stroke, color=st.sampled_from([c for c, _ in PALETTE]),
                    width=st.sampled_from([6.0, 16.0, 40.0]), tool=st.sampled_from(["brush", "eraser"]),
                    points=points)
stamps = st.builds(Stamp, kind=st.sampled_from(["tram", "tree"]), x=coord, y=coord,
                   size=st.sampled_from([72.0, 128.0]), color=st.just("#000000"), t=st.integers(0, 10**7))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(strokes, stamps), max_size=8), st.sampled_from(["blank", "city"]))
def test_json_round_trip_is_exact(items, background):
    d = Drawing(1920, 1080, background, items)
    again = Drawing.from_bytes(d.to_bytes())
    assert again == d


@pytest.mark.parametrize("bad", [b"{}", b'{"format":"kiosk-drawing","version":99}',
                                 b'{"format":"kiosk-drawing","version":1,"width":1,"height":1,"items":[{"type":"x"}]}'])
def test_from_json_rejects_foreign_data(bad):
    with pytest.raises(ValueError):
        Drawing.from_bytes(bad)


def _ends(seg):
    return seg[1], seg[-1]


@given(points)
def test_smoothed_segments_join_up_and_end_at_the_finger(pts):
    segs = smooth(pts)
    assert segs[0] == ("dot", pts[0][:2])
    lines = segs[1:]
    for a, b in zip(lines, lines[1:]):
        assert _ends(a)[1] == pytest.approx(_ends(b)[0])
    if len(pts) > 1:
        assert lines[0][1] == pts[0][:2]
        assert lines[-1][-1] == pts[-1][:2]


def test_segments_at_uses_midpoints_as_ends_and_points_as_controls():
    pts = [(0.0, 0.0, 0), (10.0, 0.0, 1), (10.0, 10.0, 2)]
    assert segments_at(pts, 2, False) == [("quad", (5.0, 0.0), (10.0, 0.0), (10.0, 5.0))]


def test_paint_steps_interleave_simultaneous_strokes_by_time():
    a = Stroke("#000000", 6, points=[(0, 0, 1), (1, 0, 3), (2, 0, 5)])
    b = Stroke("#ffffff", 6, points=[(0, 5, 2), (1, 5, 3), (2, 5, 4)])
    order = [(t, k, i) for t, k, i, _, _ in paint_steps([a, b])]
    assert order == [(1, 0, 0), (2, 1, 0), (3, 0, 1), (3, 1, 1), (4, 1, 2), (5, 0, 2)]


# --- the palette is distinguishable with colour-vision deficiencies ---------
# Machado, Oliveira & Fernandes (2009), severity 1.0, applied in linear RGB.
CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _lab(hex_color, m):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    rgb = [lin(int(hex_color[i:i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (max(0.0, min(1.0, sum(m[row][k] * rgb[k] for k in range(3)))) for row in range(3))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _ciede2000(lab1, lab2):
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    cb = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cb ** 7 / (cb ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lb, cbp = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hb = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hb = (h1p + h2p) / 2
    else:
        hb = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hb - 30)) + 0.24 * math.cos(math.radians(2 * hb))
         + 0.32 * math.cos(math.radians(3 * hb + 6)) - 0.2 * math.cos(math.radians(4 * hb - 63)))
    rc = 2 * math.sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lb - 50) ** 2 / math.sqrt(20 + (lb - 50) ** 2)
    sc, sh = 1 + 0.045 * cbp, 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(60 * math.exp(-((hb - 275) / 25) ** 2))) * rc
    dl, dc = L2 - L1, c2p - c1p
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dH / sh) ** 2 + rt * (dc / sc) * (dH / sh))


@pytest.mark.parametrize("vision", list(CVD))
def test_palette_colours_stay_apart_for_colour_blind_children(vision):
    assert len(PALETTE) >= 12
    labs = [_lab(c, CVD[vision]) for c, _ in PALETTE]
    worst = min(_ciede2000(a, b) for a, b in itertools.combinations(labs, 2))
    assert worst >= 8.5
