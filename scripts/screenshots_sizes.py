"""Screenshots at the smallest and largest terminal sizes, drawn as the kiosk draws them there.

    python scripts/screenshots_sizes.py [--out docs/screenshots] [--sizes 1024x600,3840x2160,...]

For each size, ``scripts/screenshots.py`` and ``scripts/screenshots_staff.py`` run in a fresh
process with the Qt scale factor the kiosk would use on that screen (kiosk/app/scale.py), so
a 3840x2160 picture is what a 4K terminal shows, pixel for pixel. Files are named by the size:
``attract-de-1024x600.png``, ``ideas-3-write-3840x2160-de.png``, ``staff_overview_720x1280.png``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app.scale import SCALE_ENV, factor_for  # noqa: E402

DEFAULT_SIZES = "1024x600,3840x2160,720x1280,2160x3840"
VISITOR = "attract,idle,ideas,drawing"
KEEP = ("attract-de", "idle-de", "ideas-1-topics", "ideas-3-write", "ideas-4-about", "ideas-7-thanks",
        "drawing-with-drawing", "drawing-done-keyboard", "staff_overview", "staff_sync")
"""What goes into docs/: the first screen, the prompt, the busiest steps of each flow, the staff overview."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--sizes", default=DEFAULT_SIZES)
    ap.add_argument("--all", action="store_true", help="keep every screen, not only the selection")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        width, height = (int(n) for n in size.split("x"))
        factor = factor_for(width, height)
        logical = f"{round(width / factor)}x{round(height / factor)}"
        env = {**os.environ, SCALE_ENV: f"{factor:g}", "QT_QPA_PLATFORM": "offscreen"}
        with tempfile.TemporaryDirectory() as tmp:
            runs = [[sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--sizes", logical, "--langs", "de",
                     "--only", VISITOR, "--out", tmp],
                    [sys.executable, str(ROOT / "scripts" / "screenshots_staff.py"), "--sizes", logical,
                     "--lang", "de", "--out", tmp]]
            for cmd in runs:
                subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            for shot in sorted(Path(tmp).glob("*.png")):
                if args.all or shot.name.startswith(KEEP):
                    target = out / shot.name.replace(logical, size)
                    shutil.copyfile(shot, target)
                    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
