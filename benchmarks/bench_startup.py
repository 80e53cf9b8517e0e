"""Cold start and memory of the kiosk against a bare PySide6 window (not a test).

Each figure is measured in a fresh subprocess, from just before the process is
spawned to the first paint of the attract screen (the kiosk) or of an empty
QWidget (the floor), both 1920x1080 on the offscreen platform, both from
byte-compiled modules. RSS is read from /proc at that moment. Medians of
--runs alternating runs; targets: ratio <= 2.0.

    PYTHONPATH=. python benchmarks/bench_startup.py [--runs 7] [--with-100k]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# An installed kiosk runs from byte-compiled modules (pip compiles them); a
# checkout run with PYTHONDONTWRITEBYTECODE would compile ours on every start.
# The warm-up runs fill this cache, outside the work tree.
PYCACHE = str(Path(tempfile.gettempdir()) / "kiosk-bench-pycache")

_REPORT = """
def _rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
def report():
    import json, os, sys, time
    print(json.dumps({"t": time.time() - float(os.environ["BENCH_T0"]), "rss_kb": _rss_kb(),
                      "lazy": [m for m in ("requests", "qrcode", "qtawesome") if m in sys.modules]}), flush=True)
"""

BARE = _REPORT + textwrap.dedent("""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication([])
    class Bare(QWidget):
        done = False
        def paintEvent(self, event):
            if not self.done:
                self.done = True
                QTimer.singleShot(0, lambda: (report(), app.exit(0)))
    w = Bare()
    w.resize(1920, 1080)
    w.show()
    app.exec()
""")

KIOSK = _REPORT + textwrap.dedent("""
    import os, sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from kiosk.app import build
    w = build(None, os.environ["BENCH_DATA"])
    w.first_painted.connect(lambda: (report(), app.exit(0)))  # quit() would ask the locked window
    w.resize(1920, 1080)
    w.show()
    app.exec()
""")


def run(code: str, data_dir: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BENCH_DATA": data_dir,
           "PYTHONPATH": str(REPO), "BENCH_T0": "", "PYTHONPYCACHEPREFIX": PYCACHE}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["BENCH_T0"] = repr(time.time())
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def seed_100k(data_dir: str) -> str | None:
    """Fill data_dir with 100,000 sample submissions (kiosk.seed); else say why not."""
    try:
        from kiosk.storage import Store  # noqa: PLC0415
    except ImportError:
        return "kiosk.storage is not on this branch yet"
    from kiosk.config import find_config, load_config  # noqa: PLC0415
    from kiosk.seed import seed  # noqa: PLC0415

    config = load_config(find_config(None))
    store = Store.open_in(Path(data_dir), min_free_bytes=0)
    try:
        seed(store, config, ideas=90_000, drawings=10_000, random_seed=1)
    finally:
        store.close()
    return None


def measure(label: str, code: str, data_dir: str, runs: int) -> dict:
    samples = [run(code, data_dir) for _ in range(runs)]
    return {"label": label, "t": statistics.median(s["t"] for s in samples),
            "rss_mb": statistics.median(s["rss_kb"] for s in samples) / 1024,
            "lazy": samples[-1]["lazy"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--with-100k", action="store_true", help="also start with 100,000 stored submissions")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as empty:
        run(BARE, empty), run(KIOSK, empty)  # warm the page cache for both
        bare_t, kiosk_t, bare_m, kiosk_m = [], [], [], []
        for _ in range(args.runs):  # alternate, so drift hits both alike
            b, k = run(BARE, empty), run(KIOSK, empty)
            bare_t.append(b["t"]); kiosk_t.append(k["t"])
            bare_m.append(b["rss_kb"]); kiosk_m.append(k["rss_kb"])
            lazy = k["lazy"]
    bt, kt = statistics.median(bare_t), statistics.median(kiosk_t)
    bm, km = statistics.median(bare_m) / 1024, statistics.median(kiosk_m) / 1024
    print(f"runs: {args.runs} each, medians, offscreen 1920x1080, Python {sys.version.split()[0]}")
    print(f"cold start to first paint   bare window {bt * 1000:7.1f} ms   kiosk (empty data dir) "
          f"{kt * 1000:7.1f} ms   ratio {kt / bt:4.2f}  (target <= 2.0)")
    print(f"resident memory at paint    bare window {bm:7.1f} MB   kiosk                  "
          f"{km:7.1f} MB   ratio {km / bm:4.2f}  (target <= 2.0)")
    print(f"modules loaded before paint among requests/qrcode/qtawesome: {lazy or 'none'}")
    if args.with_100k:
        with tempfile.TemporaryDirectory() as full:
            why = seed_100k(full)
            if why:
                print(f"start with 100,000 submissions: not measured ({why})")
            else:
                k = measure("kiosk-100k", KIOSK, full, args.runs)
                print(f"start with 100,000 submissions {k['t'] * 1000:7.1f} ms   ratio to bare {k['t'] / bt:4.2f}"
                      f"   RSS {k['rss_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
