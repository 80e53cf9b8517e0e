"""Cold start and memory of the kiosk against a bare PySide6 window (not a test).

Each figure is measured in a fresh subprocess, from just before the process is
spawned to the first paint of the attract screen (the kiosk) or of an empty
QWidget (the floor), both 1920x1080 on the offscreen platform, both from
byte-compiled modules. RSS is read from /proc at that moment. Medians of
--runs alternating runs; targets: ratio <= 2.0 with an empty data dir.

The start with 100,000 stored submissions (90,000 ideas and 10,000 drawings
from kiosk.core.seed, stored in one transaction with Store.add_many; seeded samples
start withheld, which does not matter for a start) is measured in the same
runs, alternating with the other two, and reported beside the empty start.

The real display stacks (--stacks): the same two children on one Xvfb server (1920x1080,
no window manager) and inside one cage (wlroots headless, 1280x720, as the unprivileged
test user with a venv of /usr/bin/python3; needs root), both shown fullscreen there the way
``kiosk run`` shows them (the kiosk through ``MainWindow.fill_screen``). The display server
is started once per stack, outside the measured time; it uses tests/system/conftest.py's harness.

    PYTHONPATH=. python benchmarks/bench_startup.py [--runs 7] [--skip-100k] [--stacks xvfb,cage]
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

# On a real display server: fullscreen, as `kiosk run` shows it (the floor: the screen's geometry, fullscreen).
BARE_FULL = BARE.replace("w.resize(1920, 1080)\nw.show()",
                         "w.setGeometry(app.primaryScreen().geometry())\nw.showFullScreen()")
KIOSK_FULL = KIOSK.replace("w.resize(1920, 1080)\nw.show()", "w.fill_screen()")
assert BARE_FULL != BARE and KIOSK_FULL != KIOSK


def run(code: str, data_dir: str, stack: dict | None = None) -> dict:
    """One child from spawn to first paint; ``stack``: env, python, pythonpath, user of a real display."""
    stack = stack or {}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **stack.get("env", {}), "BENCH_DATA": data_dir,
           "PYTHONPATH": stack.get("pythonpath", str(REPO)), "BENCH_T0": "",
           "PYTHONPYCACHEPREFIX": stack.get("pycache", PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    user = stack.get("user")
    ids = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
    env["BENCH_T0"] = repr(time.time())
    proc = subprocess.run([stack.get("python", sys.executable), "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, cwd=stack.get("cwd", REPO), **ids)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def seed_100k(data_dir: str) -> int:
    """Fill data_dir with 100,000 sample submissions (kiosk.core.seed, one add_many transaction)."""
    from kiosk.core.config import find_config, load_config  # noqa: PLC0415
    from kiosk.core.seed import seed  # noqa: PLC0415
    from kiosk.core.storage import Store  # noqa: PLC0415

    config = load_config(find_config(None))
    with Store.open_in(Path(data_dir), min_free_bytes=0) as store:
        seed(store, config, ideas=90_000, drawings=10_000, random_seed=1)
        return store.count()


def measure_stack(name: str, runs: int) -> None:
    """Bare window against the kiosk on one real display server, alternating, medians."""
    sys.path.insert(0, str(REPO / "tests" / "system"))
    import conftest as harness  # noqa: PLC0415 - the system tests' harness: Xvfb, cage, the test user

    harness.unavailable = lambda reason: (_ for _ in ()).throw(SystemExit(f"{name}: {reason}"))
    stop: list = []
    try:
        if name == "xvfb":
            x = harness.start_xvfb(1920, 1080)
            stop.append(x.proc)
            stack = {"env": {**x.env, "QT_QPA_PLATFORM": "xcb"}}
            size = "1920x1080, no window manager"
            data = tempfile.mkdtemp(prefix="bench-")
        elif name == "cage":
            user = harness.ensure_user()
            python, tree = harness.ensure_system_python(), harness.copy_app_tree()
            log = Path(tempfile.mkdtemp(prefix="bench-cage-")) / "cage.log"
            compositor = harness.start_cage(user, ["sleep", "3600"], log)  # the children join it as clients
            stop.append(compositor.proc)
            data = str(harness.user_dir(user, "bench-data-"))
            pycache = harness.user_dir(user, "bench-pycache-")
            stack = {"env": compositor.env, "python": str(python), "pythonpath": str(tree), "user": user,
                     "cwd": str(compositor.runtime), "pycache": str(pycache)}
            size = "1280x720 headless output"
        else:
            raise SystemExit(f"unknown stack {name!r}: xvfb or cage")
        kinds = {"bare": BARE_FULL, "kiosk": KIOSK_FULL}
        for code in kinds.values():
            run(code, data, stack)  # warm the page cache and the byte code
        samples: dict[str, list[dict]] = {k: [] for k in kinds}
        for _ in range(runs):
            for kind, code in kinds.items():
                samples[kind].append(run(code, data, stack))
    finally:
        for proc in stop:
            harness.stop(proc)
    t = {k: statistics.median(s["t"] for s in v) for k, v in samples.items()}
    m = {k: statistics.median(s["rss_kb"] for s in v) / 1024 for k, v in samples.items()}
    print(f"{name} ({size}), fullscreen, {runs} runs each, medians:")
    for label, kind in (("bare PySide6 window (floor)", "bare"), ("kiosk, empty data dir", "kiosk")):
        print(f"  {label:32}{t[kind] * 1000:19.1f} ms{t[kind] / t['bare']:8.2f}{m[kind]:13.1f} MB"
              f"{m[kind] / m['bare']:8.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--skip-100k", action="store_true", help="only the empty start")
    ap.add_argument("--stacks", default="", help="also on real display servers: xvfb, cage (comma-separated)")
    ap.add_argument("--only-stacks", action="store_true", help="skip the offscreen measurement")
    args = ap.parse_args(argv)
    if args.only_stacks:
        for name in filter(None, args.stacks.split(",")):
            measure_stack(name, args.runs)
        return 0
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as full:
        if not args.skip_100k:
            t0 = time.perf_counter()
            stored = seed_100k(full)
            print(f"seeded {stored:,} submissions in {time.perf_counter() - t0:.1f} s "
                  f"({sum(f.stat().st_size for f in Path(full).iterdir()) / 1e6:.0f} MB on disk)")
        kinds = {"bare": (BARE, empty), "kiosk": (KIOSK, empty)}
        if not args.skip_100k:
            kinds["kiosk-100k"] = (KIOSK, full)
        for code, data in kinds.values():
            run(code, data)  # warm the page cache for each
        samples: dict[str, list[dict]] = {k: [] for k in kinds}
        for _ in range(args.runs):  # alternate, so drift hits all alike
            for kind, (code, data) in kinds.items():
                samples[kind].append(run(code, data))
    t = {k: statistics.median(s["t"] for s in v) for k, v in samples.items()}
    m = {k: statistics.median(s["rss_kb"] for s in v) / 1024 for k, v in samples.items()}
    bt, bm = t["bare"], m["bare"]
    print(f"runs: {args.runs} each, medians, offscreen 1920x1080, Python {sys.version.split()[0]}")
    print(f"{'':34}{'time to first paint':>22}{'ratio':>8}{'RSS at paint':>16}{'ratio':>8}")
    rows = [("bare PySide6 window (floor)", "bare"), ("kiosk, empty data dir", "kiosk"),
            ("kiosk, 100,000 submissions", "kiosk-100k")]
    for label, kind in rows:
        if kind in t:
            print(f"{label:34}{t[kind] * 1000:19.1f} ms{t[kind] / bt:8.2f}{m[kind]:13.1f} MB{m[kind] / bm:8.2f}")
    print("targets (empty data dir): time ratio <= 2.0, memory ratio <= 2.0")
    lazy = samples["kiosk"][-1]["lazy"]
    print(f"modules loaded before paint among requests/qrcode/qtawesome: {lazy or 'none'}")
    for name in filter(None, args.stacks.split(",")):
        measure_stack(name, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
