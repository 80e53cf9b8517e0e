"""The proposals step with the worst content a pull can bring (200 items, 150-character titles,
600-character summaries, emoji) fits the smallest landscape and portrait terminals, in every
language and in reachability mode: the list scrolls, nothing is cut (scripts/layout_check.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app.scale import SCALE_ENV, factor_for
from kiosk.core.content import PlatformItem, content_toml

REPO = Path(__file__).resolve().parents[2]
NOISE = ("propagateSizeHints",)
TITLE = "Sichere Wege für Kinder 🚸 zwischen Lobeda, Winzerla und dem Zentrum – mit Tempo 30, Zebrastreifen, " \
        "Schulweg-Lotsen und heller Beleuchtung im Winter 🌙"
SUMMARY = ("Viele Eltern fahren ihre Kinder mit dem Auto zur Schule, weil der Weg zu Fuß unsicher wirkt. 👩‍👧 "
           * 8)[:600]


def worst_content(path: Path) -> Path:
    items = [PlatformItem("debate" if i % 4 == 0 else "proposal", str(i), f"{TITLE[:146]} {i:03d}"[:150], SUMMARY,
                          f"https://mitmachen.example.org/proposals/{i}", ("Mobilität",)) for i in range(200)]
    assert len(items[0].title) == 150 and len(items[0].summary) == 600
    path.write_text(content_toml(items, "https://mitmachen.example.org", "2026-12-01T08:00:00Z"), encoding="utf-8")
    return path


@pytest.mark.parametrize("size, reach", [((1024, 600), False), ((720, 1280), False), ((1080, 1920), True)],
                         ids=["1024x600", "720x1280", "1080x1920-reach"])
def test_two_hundred_long_proposals_fit(size: tuple[int, int], reach: bool, tmp_path: Path) -> None:
    content = worst_content(tmp_path / "content.toml")
    factor = factor_for(*size)
    logical = f"{round(size[0] / factor)}x{round(size[1] / factor)}"
    env = {**os.environ, SCALE_ENV: f"{factor:g}", "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "screenshots.py"), "--check", "--only", "ideas",
                          "--sizes", logical, "--content", str(content), "--out", str(out),
                          *(["--reach"] if reach else [])],
                         env=env, cwd=REPO, text=True, capture_output=True, timeout=300)
    lines = [line for line in run.stdout.splitlines() if line.strip() and not any(n in line for n in NOISE)]
    assert run.returncode == (1 if lines else 0), run.stderr[-3000:]
    assert lines == []
