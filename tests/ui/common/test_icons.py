"""ui.common.icons finds glyphs in qtawesome's MDI 6 charmap without decoding all of it."""

from __future__ import annotations

import glob
import json
import os

import qtawesome as qta

from ui.common import icons


def test_codepoint_agrees_with_the_decoded_charmap() -> None:
    (path,) = glob.glob(os.path.join(os.path.dirname(qta.__file__), "fonts", "materialdesignicons6*charmap*.json"))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    decoded = json.loads(text)
    assert len(decoded) > 5000
    assert {name for name, code in decoded.items() if icons.codepoint(text, name) != int(code, 16)} == set()
    assert icons.codepoint(text, "no-such-icon") is None
    assert icons.codepoint('{"long-arrow-right": "0xf0002", "arrow-right": "0xf0001"}', "arrow-right") == 0xF0001
    assert icons.codepoint('{"long-arrow-right": "0xf0002"}', "arrow-right") is None   # whole names only


def test_codepoint_reads_plain_hex_too() -> None:
    assert icons.codepoint('{\n  "a-b": "f01c9",\n  "c": "0xF0001"\n}', "a-b") == 0xF01C9
    assert icons.codepoint('{"c": "0xF0001"}', "c") == 0xF0001


def test_a_known_icon_is_drawn_and_an_unknown_one_is_blank(qapp) -> None:
    drawn = icons.pixmap("mdi6.palette-outline", "#000000", 48).toImage()
    blank = icons.pixmap("mdi6.no-such-icon-here", "#000000", 48).toImage()
    assert any(drawn.pixelColor(x, y).alpha() for x in range(48) for y in range(48))
    assert not any(blank.pixelColor(x, y).alpha() for x in range(48) for y in range(48))
