"""Load an attacker puts on the receiver, for tests/sync/receiver/test_slow_clients.py and
benchmarks/bench_receiver_abuse.py: a receiver process at a file limit, nginx in front of it
with the configuration in deploy/receiver/nginx/, a slow-header flood, a wrong-password flood,
and /health probes. Everything targets 127.0.0.0/8 only and is bounded in count and time.
"""

from __future__ import annotations

import http.client
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "receiver" / "nginx"
NGINX_APT = "apt-get install -y nginx-light"
"""What .ci/run installs; tests that need nginx skip with this line when it is missing."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_own_file_limit(wanted: int) -> None:
    """This process needs a socket per slow connection: raise its soft limit (never the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted,
                                                    hard))


def wait_healthy(url: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if health_latency(url, 1.0) < 1.0:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer /api/v1/health within {timeout_s} s")


def start_receiver(data_dir: Path, port: int, *, nofile: int = 1024) -> subprocess.Popen:
    """``kiosk receiver`` in its own process on 127.0.0.1:port, at a limit of ``nofile`` open
    files (the systemd default), started and answering /health."""
    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir.parent / "receiver.log", "ab") as log:  # read by nobody while it runs: not a pipe
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "receiver", "--data-dir", str(data_dir),
                                 "--host", "127.0.0.1", "--port", str(port)], env=env, preexec_fn=limit_files,
                                stdout=log, stderr=log)
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
    except RuntimeError:
        stop(proc)
        raise
    return proc


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def start_nginx(upstream_port: int, port: int) -> tuple[subprocess.Popen, Path]:
    """nginx with the shipped receiver configuration, on 127.0.0.1:port in front of the receiver
    on ``upstream_port``. The top level (workers, connections, paths) is this test's own, set as
    docs/security.md tells a city to set it; the two included files are copied as shipped, with
    only the receiver's port changed."""
    binary = nginx_binary()
    assert binary, f"nginx is not installed: {NGINX_APT}"
    prefix = Path(tempfile.mkdtemp(prefix="kiosk-nginx-"))
    prefix.chmod(0o755)  # the workers (user nobody when started as root) write their temp files here
    limits = (NGINX_CONF / "receiver-limits.conf").read_text().replace("127.0.0.1:8443", f"127.0.0.1:{upstream_port}")
    (prefix / "receiver-limits.conf").write_text(limits)
    shutil.copy(NGINX_CONF / "receiver-locations.conf", prefix / "receiver-locations.conf")
    (prefix / "logs").mkdir()
    (prefix / "nginx.conf").write_text(f"""
worker_processes 2;
worker_rlimit_nofile 8192;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    include {prefix}/receiver-limits.conf;
    server {{
        listen 127.0.0.1:{port};
        include {prefix}/receiver-locations.conf;
    }}
}}
""")
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", 10.0)
    except RuntimeError:
        stop(proc)
        log = (prefix / "logs" / "error.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"nginx did not start: {log}") from None
    return proc, prefix


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def health_latency(url: str, timeout_s: float) -> float:
    """Seconds until /api/v1/health answered 200 on a new connection; ``inf`` when it did not in time."""
    host, port = url.removeprefix("http://").split(":")
    start = time.perf_counter()
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout_s)
    try:
        conn.request("GET", "/api/v1/health")
        response = conn.getresponse()
        response.read()
        ok = response.status == 200
    except (OSError, http.client.HTTPException):
        ok = False
    finally:
        conn.close()
    elapsed = time.perf_counter() - start
    return elapsed if ok and elapsed <= timeout_s else float("inf")


def probe_health(url: str, seconds: float, every_s: float = 0.1, timeout_s: float = 2.0) -> list[float]:
    """/health latencies, one probe every ``every_s`` for ``seconds``."""
    out = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        out.append(health_latency(url, timeout_s))
        time.sleep(every_s)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process in MiB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@dataclass
class SlowHeaderFlood:
    """``count`` connections that each send one byte of a request header every ``every_s``
    seconds, never finishing it; one the server closes is opened again (an attacker does)."""

    port: int
    count: int = 1100
    every_s: float = 5.0
    reopened: int = 0
    failed_connects: int = 0
    _socks: list[socket.socket | None] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: receiver\r\nX-a: ")
            sock.setblocking(False)
            return sock
        except OSError:
            self.failed_connects += 1
            return None

    def start(self) -> SlowHeaderFlood:
        self._socks = [self._open() for _ in range(self.count)]
        self._thread = threading.Thread(target=self._drip, name="slow-headers", daemon=True)
        self._thread.start()
        return self

    def _drip(self) -> None:
        while not self._stop.wait(self.every_s):
            for i, sock in enumerate(self._socks):
                if self._stop.is_set():
                    return
                try:
                    if sock is None:
                        raise OSError
                    sock.send(b"a")
                except OSError:
                    if sock is not None:
                        sock.close()
                        self.reopened += 1
                    self._socks[i] = self._open()

    def open_now(self) -> int:
        return sum(s is not None for s in self._socks)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        for sock in self._socks:
            if sock is not None:
                sock.close()
        self._socks = []


LOGIN_TOKEN = "flood-form-token-0123456789"
"""The login form's double-submit token: any value the client sends both as its cookie and in the
form (what a browser gets from GET /staff/login), so a flooding client need not fetch the form."""


def login_request(name: str, password: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a POST /staff/login, the staff web app's sign-in."""
    from urllib.parse import urlencode

    body = urlencode({"name": name, "password": password, "csrf": LOGIN_TOKEN}).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"receiver_login={LOGIN_TOKEN}"}


def wrong_password_flood(port: int, clients: int, seconds: float) -> dict[int, int]:
    """``clients`` clients, each from its own address (127.0.0.2, 127.0.0.3, ...), signing in to the
    staff web app with wrong passwords as fast as the answers come for ``seconds``, ignoring
    Retry-After. Returns how many answers of each status (0: no answer)."""
    counts: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        body, headers = login_request("staff", f"wrong password {n}")
        conn = None
        while time.monotonic() < deadline:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                                  source_address=(f"127.0.0.{2 + n}", 0))
            try:
                conn.request("POST", "/staff/login", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = None
                time.sleep(0.05)
            with lock:
                counts[status] = counts.get(status, 0) + 1
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    return counts


def staff_status(port: int, password: str, address: str = "127.0.0.1", name: str = "staff") -> tuple[int, int | None]:
    """The staff web app's sign-in answer for ``name``/``password`` from ``address`` (303: signed
    in), and its Retry-After if any."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(address, 0))
    try:
        body, headers = login_request(name, password)
        conn.request("POST", "/staff/login", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        retry = response.getheader("Retry-After")
        return response.status, int(retry) if retry and retry.isdigit() else None
    finally:
        conn.close()
