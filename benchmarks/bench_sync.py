"""Sync benchmark: one run, figures and ratios to floors measured in the same run.

- ideas/s delivered by SyncClient, against bare ``requests`` PUTs of the same JSON
  to a trivial endpoint of the same FastAPI/uvicorn process (floor; ratio >= 0.5);
- drawing bytes/s delivered, against bare PUTs of the same bytes (ratio >= 0.7);
- resident memory of the kiosk process while syncing 10,000 submissions (flat).

Beside each summed ratio it prints the best and median round, and the CPU time the kiosk
process (this one) and the receiver process spent per item in floor and sync: on a machine
shared with other work the ratio follows the CPU each side needs more than anything else.

The receiver runs in its own process (as in production), on 127.0.0.1.
Usage: PYTHONPATH=. python benchmarks/bench_sync.py [--ideas N] [--drawings N] [--rss-n N]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kiosk.core.storage import Store  # noqa: E402
from sync.client import SyncClient  # noqa: E402
from sync.receiver import add_token  # noqa: E402
from sync_helpers import make_drawing, make_idea  # noqa: E402

SERVER = """
import sys, logging
from pathlib import Path
import uvicorn
from fastapi import Request
from fastapi.responses import JSONResponse
from sync.receiver.app import ReceiverSettings, create_app
app = create_app(ReceiverSettings(Path(sys.argv[1])))

@app.put("/bench/floor/{key}")
async def floor(key: str, request: Request) -> JSONResponse:
    body = await request.body()          # the trivial endpoint: read the body, answer small JSON
    return JSONResponse({"key": key, "size": len(body)}, status_code=201)

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


ROUNDS = 5
PARALLEL = int(os.environ.get("BENCH_PARALLEL", "4"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def process_cpu_s(pid: int | None = None) -> float:
    """User + system CPU seconds of this process (or of *pid*), all threads."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Rounds:
    """Seconds and CPU (kiosk process, receiver process) of floor and sync, round by round."""

    def __init__(self, receiver_pid: int) -> None:
        self.pid = receiver_pid
        self.floor: list[float] = []
        self.sync: list[float] = []
        self.cpu = {"floor": [0.0, 0.0], "sync": [0.0, 0.0]}

    def measure(self, which: str, func, *args):
        kiosk0, receiver0 = process_cpu_s(), process_cpu_s(self.pid)
        result = func(*args)
        cpu = self.cpu[which]
        cpu[0] += process_cpu_s() - kiosk0
        cpu[1] += process_cpu_s(self.pid) - receiver0
        seconds = result[0] if isinstance(result, tuple) else result
        (self.floor if which == "floor" else self.sync).append(seconds)
        return result

    def ratio(self) -> float:
        """Sync speed over floor speed for the same work, summed over the rounds."""
        return sum(self.floor) / sum(self.sync)

    def detail(self, n: int, unit: str) -> str:
        per_round = sorted(f / s for f, s in zip(self.floor, self.sync))
        ms = {k: [v * 1000 / n for v in c] for k, c in self.cpu.items()}
        return (f"          rounds: best {per_round[-1]:.2f}, median {per_round[len(per_round) // 2]:.2f};  "
                f"CPU ms per {unit} (kiosk + receiver): floor {ms['floor'][0]:.1f} + {ms['floor'][1]:.1f}, "
                f"sync {ms['sync'][0]:.1f} + {ms['sync'][1]:.1f}")


def start_receiver(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(data_dir), str(port)],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(url + "/api/v1/health", timeout=1)
            return proc, url
        except requests.ConnectionError:
            time.sleep(0.05)
    raise SystemExit("receiver did not start")


def floor_puts(url: str, token: str, bodies: list[tuple[str, bytes]]) -> float:
    """Seconds for bare PUTs of *bodies* on one keep-alive session."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    t = time.perf_counter()
    for key, body in bodies:
        r = s.put(f"{url}/bench/floor/{key}", data=body, timeout=(5, 20))
        assert r.status_code == 201
    dt = time.perf_counter() - t
    s.close()
    return dt


def sync_all(store: Store, url: str, token: str, progress=None) -> tuple[float, object]:
    client = SyncClient(store, endpoint=url + "/api/v1", token=token, parallel=PARALLEL)
    t = time.perf_counter()
    report = client.sync_pending(progress=progress)
    dt = time.perf_counter() - t
    client.close()
    assert report.remaining == 0 and not report.failed, report
    return dt, report


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ideas", type=int, default=2000)
    ap.add_argument("--drawings", type=int, default=100)
    ap.add_argument("--drawing-px", type=int, default=256, help="PNG side (noise, so ~3 bytes/px)")
    ap.add_argument("--rss-n", type=int, default=10_000)
    ap.add_argument("--keep", action="store_true", help="keep the data folder (receiver and kiosks) afterwards")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    token = add_token(base / "receiver", "bench-kiosk")
    proc, url = start_receiver(base / "receiver")
    ok = True
    try:
        print(f"receiver {url} (own process), data in {base}{'' if args.keep else ' (removed at the end; --keep keeps it)'}")

        # ---- ideas ---------------------------------------------------------------
        # Floor and sync alternate in rounds, so a busy machine weighs on both alike.
        rounds = Rounds(proc.pid)
        with Store.open_in(base / "kiosk-ideas") as store:
            for r in range(ROUNDS):
                ideas = [make_idea(i, kiosk_id="bench-kiosk") for i in range(args.ideas // ROUNDS)]
                for s in ideas:
                    store.add(s)
                rounds.measure("floor", floor_puts, url, token, [(s.id, s.canonical_json()) for s in ideas])
                rounds.measure("sync", sync_all, store, url, token)
        floor_rate, sync_rate = args.ideas / sum(rounds.floor), args.ideas / sum(rounds.sync)
        ratio = rounds.ratio()
        ok &= ratio >= 0.5
        print(f"ideas:    {sync_rate:8.0f} ideas/s delivered   floor {floor_rate:8.0f} PUT/s   "
              f"ratio {ratio:.2f} (>= 0.5 {'OK' if ratio >= 0.5 else 'BELOW'})")
        print(rounds.detail(args.ideas, "idea"))

        # ---- drawings --------------------------------------------------------------
        rounds = Rounds(proc.pid)
        total_bytes = 0
        with Store.open_in(base / "kiosk-drawings") as store:
            for r in range(ROUNDS):
                drawings = [make_drawing(r * 1000 + i, size=args.drawing_px, kiosk_id="bench-kiosk")
                            for i in range(args.drawings // ROUNDS)]
                total_bytes += sum(b.size for d in drawings for b in d.blobs)
                for d in drawings:
                    store.add(d)
                rounds.measure("floor", floor_puts, url, token,
                               [(f"{d.id}-{b.role}", b.data) for d in drawings for b in d.blobs])
                rounds.measure("sync", sync_all, store, url, token)
        floor_bps, sync_bps = total_bytes / sum(rounds.floor), total_bytes / sum(rounds.sync)
        ratio = rounds.ratio()
        ok &= ratio >= 0.7
        print(f"drawings: {sync_bps / 1e6:8.1f} MB/s delivered     floor {floor_bps / 1e6:8.1f} MB/s   "
              f"ratio {ratio:.2f} (>= 0.7 {'OK' if ratio >= 0.7 else 'BELOW'})  "
              f"[{args.drawings} drawings, {total_bytes / args.drawings / 1e3:.0f} kB each]")
        print(rounds.detail(args.drawings, "drawing"))

        # ---- memory ----------------------------------------------------------------
        with Store.open_in(base / "kiosk-rss") as store:
            for i in range(args.rss_n):
                store.add(make_drawing(i, size=8, kiosk_id="bench-kiosk") if i % 10 == 0
                          else make_idea(i, kiosk_id="bench-kiosk"))
            gc.collect()
            samples = [(0, rss_mb())]
            step = max(1, args.rss_n // 10)

            def progress(rep) -> None:
                if rep.done // step > (samples[-1][0] // step):
                    samples.append((rep.done, rss_mb()))

            sync_s, report = sync_all(store, url, token, progress)
            samples.append((report.done, rss_mb()))
        print(f"memory:   {args.rss_n} submissions in {sync_s:.1f} s ({args.rss_n / sync_s:.0f}/s); RSS MB by delivered:")
        print("          " + "  ".join(f"{n}:{mb:.1f}" for n, mb in samples))
        first_tenth = samples[1][1] if len(samples) > 2 else samples[0][1]
        growth = samples[-1][1] - first_tenth
        flat = growth < 10.0
        ok &= flat
        print(f"          growth after the first tenth: {growth:+.1f} MB ({'flat' if flat else 'GROWING'})")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)  # a run writes hundreds of MB of drawings
    print("all floors met" if ok else "SOME FLOOR MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
