"""The harness of the system tests: real display servers, started by the tests themselves.

- :func:`need` finds the tools a test needs. Missing ones skip the test with the exact
  ``apt-get install`` line, or fail it when ``KIOSK_SYSTEM_TESTS=required`` (as .ci/run sets).
- ``xvfb`` starts an X server (``xvfb(1920, 1080)``; own display number, gone afterwards);
  ``openbox`` starts the window manager on one; ``dbus_session`` a D-Bus session bus
  (for accessibility tests: AT-SPI needs one).
- ``kiosk_user`` is an unprivileged user for compositors that refuse root (cage), and
  ``system_python`` a venv built from /usr/bin/python3 that this user can read (a pyenv
  interpreter under /root is not), with the project's dependencies; ``app_tree`` a copy of
  the source it can read. ``cage`` starts cage (wlroots headless backend, pixman) as that user.
- :class:`Kiosk` runs the real kiosk (``kiosk.app.run_gui``) through ``kiosk_driver.py``,
  which answers questions about the window on stdin/stdout; input goes through the display
  server only (xdotool, the compositor).

cage 0.1.4 (Debian 12) with the headless backend shows the first frame and then never
repaints its output unless the output is rotated, so :func:`cage` passes ``-r -r`` (180
degrees: grim and the client see an upright, repainting output). A real terminal uses the
DRM backend, where this does not happen, and runs cage unrotated (deploy/terminal/).
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("kiosk_driver.py")
REQUIRED = os.environ.get("KIOSK_SYSTEM_TESTS", "") == "required"

PACKAGES = {
    "Xvfb": "xvfb", "xwd": "x11-apps", "openbox": "openbox", "xdotool": "xdotool", "wmctrl": "wmctrl", "xwininfo": "x11-utils",
    "xrandr": "x11-xserver-utils", "cage": "cage", "grim": "grim", "Xwayland": "xwayland",
    "dbus-daemon": "dbus", "useradd": "passwd", "runuser": "util-linux", "unshare": "util-linux",
    "systemd-analyze": "systemd",
    "/usr/libexec/at-spi-bus-launcher": "at-spi2-core", "/usr/libexec/at-spi2-registryd": "at-spi2-core",
    "chromium": "chromium", "chromedriver": "chromium-driver",  # the receiver's staff web app in a real browser
}
"""Each tool the system tests run, and the Debian package that has it (.ci/system-packages installs them)."""

QT_XCB_PACKAGES = ("libxcb-cursor0", "libxcb-keysyms1", "libxcb-icccm4", "libxcb-image0", "libxcb-render-util0",
                   "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-shape0", "libxcb-randr0")
"""What Qt's xcb platform plugin needs beyond a minimal Debian."""

USER = "kiosk-systest"
STATE = Path(tempfile.gettempdir()) / "kiosk-system-tests"
"""Where the venv and the copy of the source for the unprivileged user live (world-readable)."""


def install_line(packages: list[str] | tuple[str, ...]) -> str:
    return "apt-get install -y " + " ".join(sorted(set(packages)))


def need(*tools: str) -> None:
    """Skip (or, with KIOSK_SYSTEM_TESTS=required, fail) unless every tool is on PATH."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        unavailable(f"needs {', '.join(missing)}: {install_line([PACKAGES[t] for t in missing])}")


ATSPI_PYTHON_PACKAGES = ("python3-pyatspi", "gir1.2-atspi-2.0")
"""pyatspi for /usr/bin/python3 (the accessibility tests read the kiosk through it, from outside)."""


def need_pyatspi() -> None:
    """Skip (or fail, when required) unless /usr/bin/python3 can import pyatspi."""
    base = Path("/usr/bin/python3")
    ok = base.exists() and subprocess.run([str(base), "-c", "import pyatspi"], capture_output=True,
                                          timeout=30).returncode == 0
    if not ok:
        unavailable(f"needs pyatspi for /usr/bin/python3: {install_line(ATSPI_PYTHON_PACKAGES)}")


def need_root(why: str) -> None:
    if os.geteuid() != 0:
        unavailable(f"needs root to {why}")


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"KIOSK_SYSTEM_TESTS=required, but this test {reason}", pytrace=False)
    pytest.skip(reason)


def need_qt_xcb() -> None:
    from kiosk.app.display import check_plugin

    problem = check_plugin("xcb")
    if problem:
        unavailable(f"needs Qt's xcb plugin to load ({problem}): {install_line(QT_XCB_PACKAGES)}")


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.05):  # noqa: ANN201
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 5) -> int | None:
    """End a process this harness started, by its id; SIGKILL if it does not go."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
        except ProcessLookupError:
            pass
    return proc.returncode


@pytest.fixture
def keep_shot() -> Callable[[Path, str], None]:
    """``keep_shot(png, name)``: copy a screenshot to $KIOSK_SYSTEM_SHOTS (when set) to look at later."""
    def keep(png: Path, name: str) -> None:
        folder = os.environ.get("KIOSK_SYSTEM_SHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(png, Path(folder) / name)
    return keep


# ---------------------------------------------------------------- X11


@dataclass
class XServer:
    display: str
    proc: subprocess.Popen
    width: int
    height: int

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        env["DISPLAY"] = self.display
        return env

    def run(self, *argv: str, check: bool = True, timeout: float = 20) -> subprocess.CompletedProcess:
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, check=check, timeout=timeout)

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG (xwd, converted by Qt: no ImageMagick needed)."""
        xwd = path.with_suffix(".xwd")
        with open(xwd, "wb") as out:
            subprocess.run(["xwd", "-root", "-silent", "-display", self.display], stdout=out, check=True, timeout=20)
        xwd_to_png(xwd, path)
        xwd.unlink()
        return path


def xwd_to_png(xwd: Path, png: Path) -> None:
    """Read a 24/32-bit ZPixmap xwd dump (what xwd writes of Xvfb's screen) and save it as PNG."""
    import struct

    from PySide6.QtGui import QImage

    data = xwd.read_bytes()
    header = struct.unpack(">25I", data[:100])
    header_size, width, height = header[0], header[4], header[5]
    bytes_per_line, ncolors = header[12], header[19]
    start = header_size + ncolors * 12
    formats = {32: QImage.Format.Format_RGB32, 24: QImage.Format.Format_BGR888}
    assert header[11] in formats and header[7] == 0, "expected 24 or 32 bits per pixel, least significant byte first"
    image = QImage(data[start:start + bytes_per_line * height], width, height, bytes_per_line, formats[header[11]])
    image.copy().save(str(png))


def start_xvfb(width: int = 1920, height: int = 1080) -> XServer:
    need("Xvfb")
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as r:
        number = r.readline().strip()
    if not number:
        stop(proc)
        raise AssertionError("Xvfb did not start")
    return XServer(f":{number}", proc, width, height)


@pytest.fixture
def xvfb() -> Iterator[Callable[..., XServer]]:
    """``xvfb(width=1920, height=1080)``: a fresh X server, stopped after the test."""
    started: list[XServer] = []

    def make(width: int = 1920, height: int = 1080) -> XServer:
        server = start_xvfb(width, height)
        started.append(server)
        return server

    yield make
    for server in started:
        stop(server.proc)


def start_openbox(x: XServer) -> subprocess.Popen:
    """openbox with its default configuration (Super+D is "show desktop", Alt+F4 closes)."""
    need("openbox", "wmctrl")
    proc = subprocess.Popen(["openbox", "--sm-disable"], env=x.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for(lambda: proc.poll() is not None or x.run("wmctrl", "-m", check=False).returncode == 0, 10,
             "openbox to manage the screen")
    assert proc.poll() is None, "openbox exited"
    return proc


@pytest.fixture
def openbox() -> Iterator[Callable[[XServer], subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def make(x: XServer) -> subprocess.Popen:
        proc = start_openbox(x)
        started.append(proc)
        return proc

    yield make
    for proc in started:
        stop(proc)


@pytest.fixture
def dbus_session() -> Iterator[str]:
    """A D-Bus session bus of its own; its address (for DBUS_SESSION_BUS_ADDRESS)."""
    need("dbus-daemon")
    proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = proc.stdout.readline().strip()
    assert address, "dbus-daemon printed no address"
    yield address
    stop(proc)


# ---------------------------------------------------------------- the unprivileged user, a venv it can read


def ensure_user() -> pwd.struct_passwd:
    """The unprivileged test user: a system user without a home or a login shell, made if missing."""
    need("useradd")
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        need_root("create the user " + USER)
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
    return pwd.getpwnam(USER)


@pytest.fixture(scope="session")
def kiosk_user() -> pwd.struct_passwd:
    return ensure_user()


def _dependencies() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def ensure_system_python() -> Path:
    """A venv from /usr/bin/python3 with the project's dependencies, readable by every user.

    Kept between runs under the temp dir, keyed by the dependencies and the interpreter."""
    base = Path("/usr/bin/python3")
    if not base.exists():
        unavailable(f"needs /usr/bin/python3: {install_line(['python3', 'python3-venv'])}")
    deps = _dependencies()
    version = subprocess.run([str(base), "-c", "import sys; print(sys.version)"], capture_output=True,
                             text=True, check=True).stdout
    key = hashlib.sha256(("\n".join(deps) + version).encode()).hexdigest()[:12]
    venv = STATE / f"venv-{key}"
    python = venv / "bin" / "python"
    if not (venv / "ready").exists():
        STATE.mkdir(parents=True, exist_ok=True)
        STATE.chmod(0o755)
        shutil.rmtree(venv, ignore_errors=True)
        made = subprocess.run([str(base), "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            unavailable(f"cannot make a venv from /usr/bin/python3 ({made.stderr.strip()[-200:]}): "
                        f"{install_line(['python3-venv'])}")
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *deps],
                       check=True, timeout=900)
        subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
        (venv / "ready").write_text(key)
    return python


@pytest.fixture(scope="session")
def system_python(kiosk_user) -> Path:  # noqa: ANN001
    return ensure_system_python()


def copy_app_tree() -> Path:
    """A copy of the kiosk's source the unprivileged user can read (the checkout may be under /root)."""
    STATE.mkdir(parents=True, exist_ok=True)
    STATE.chmod(0o755)
    tree = Path(tempfile.mkdtemp(prefix="src-", dir=STATE))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("kiosk", "ui", "sync", "assets"):
        shutil.copytree(ROOT / name, tree / name, ignore=ignore, symlinks=False)
    shutil.copy(DRIVER, tree / DRIVER.name)
    subprocess.run(["chmod", "-R", "a+rX", str(tree)], check=True)
    tree.chmod(0o755)
    return tree


@pytest.fixture(scope="session")
def app_tree(kiosk_user) -> Iterator[Path]:  # noqa: ANN001
    tree = copy_app_tree()
    yield tree
    shutil.rmtree(tree, ignore_errors=True)


def user_dir(user: pwd.struct_passwd, prefix: str) -> Path:
    """A private folder owned by ``user`` (a runtime dir must be 0700 and its own)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=STATE))
    os.chown(path, user.pw_uid, user.pw_gid)
    path.chmod(0o700)
    return path


# ---------------------------------------------------------------- cage


@dataclass
class Cage:
    proc: subprocess.Popen
    user: pwd.struct_passwd
    runtime: Path
    env: dict[str, str]
    log: Path

    def run(self, *argv: str, timeout: float = 20) -> subprocess.CompletedProcess:
        """Run a Wayland client (grim, ...) as the user, on this compositor."""
        return subprocess.run(argv, env=self.env, user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[],
                              capture_output=True, timeout=timeout)

    def screenshot(self, path: Path) -> Path:
        need("grim")
        shot = self.runtime / "grim.png"
        done = self.run("grim", str(shot))
        assert done.returncode == 0, done.stderr
        shutil.copy(shot, path)
        return path


def start_cage(user: pwd.struct_passwd, argv: list[str], log: Path, env: dict[str, str] | None = None,
               stdin: int | None = None, stdout: int | None = None) -> Cage:
    """cage (headless, pixman, rotated twice, see above) running ``argv`` as ``user``, with a
    runtime dir of its own; its output and the client's go to ``log`` unless ``stdout`` is given."""
    need("cage", "Xwayland")
    runtime = user_dir(user, "xdg-")
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(runtime), "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
            "WLR_LIBINPUT_NO_DEVICES": "1", "QT_QPA_PLATFORM": "wayland"}
    full = {**base, **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen(["cage", "-r", "-r", "--", *argv], env=full, user=user.pw_uid, group=user.pw_gid,
                                extra_groups=[], stdin=stdin, stdout=stdout if stdout is not None else out,
                                stderr=out, cwd=runtime, text=stdout is not None)
    wait_for(lambda: proc.poll() is not None or (runtime / "wayland-0").exists(), 15, "cage's socket")
    assert proc.poll() is None, f"cage exited: {log.read_text(errors='replace')[-2000:]}"
    return Cage(proc, user, runtime, {**full, "WAYLAND_DISPLAY": "wayland-0"}, log)


@pytest.fixture
def cage(kiosk_user, tmp_path) -> Iterator[Callable[..., Cage]]:  # noqa: ANN001
    """``cage(argv, env, stdin, stdout)``: :func:`start_cage` as the test user; stopped after the test."""
    started: list[Cage] = []

    def make(argv: list[str], env: dict[str, str] | None = None, stdin: int | None = None,
             stdout: int | None = None) -> Cage:
        made = start_cage(kiosk_user, argv, tmp_path / f"cage-{len(started)}.log", env, stdin, stdout)
        started.append(made)
        return made

    yield make
    for c in started:
        stop(c.proc)
        shutil.rmtree(c.runtime, ignore_errors=True)


# ---------------------------------------------------------------- the kiosk, driven


@dataclass
class Kiosk:
    """The real kiosk in a child process, with kiosk_driver.py's question channel."""

    proc: subprocess.Popen
    data_dir: Path
    lines: queue.Queue = field(default_factory=queue.Queue)
    painted_at: float | None = None
    restarts: int = 0
    """How often the kiosk started again (a changed screen wants another scale factor)."""
    asked: int = 0

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def _next(self, timeout: float) -> dict:
        try:
            item = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the kiosk said nothing for {timeout} s; log:\n{self.log()[-3000:]}") from None
        if item is None:
            raise AssertionError(f"the kiosk exited ({self.proc.poll()}); log:\n{self.log()[-3000:]}")
        return item

    def wait_painted(self, timeout: float = 40) -> float:
        while self.painted_at is None:
            item = self._next(timeout)
            if item.get("event") == "painted":
                self.painted_at = item["t"]
            elif item.get("event") == "restarting":  # before it painted: a screen change came quickly
                self.restarts += 1
        return self.painted_at

    def ask(self, cmd: str, timeout: float = 20, **args: object) -> dict:
        self.wait_painted()
        self.asked += 1
        self.proc.stdin.write(json.dumps({"cmd": cmd, "id": self.asked, **args}) + "\n")
        self.proc.stdin.flush()
        while True:  # events (a restart, a new paint) and late answers may come before the answer
            item = self._next(timeout)
            if "event" not in item:
                if item.get("id") == self.asked:
                    return item
                continue  # the answer to a question that timed out
            if item["event"] == "restarting":
                self.restarts += 1
                self.painted_at = None
            elif item["event"] == "painted":
                self.painted_at = item["t"]

    def state(self) -> dict:
        return self.ask("state")

    def wait_state(self, predicate: Callable[[dict], object], timeout: float, what: str) -> dict:
        """The window's state once ``predicate(state)`` holds; the last state seen if it never does.
        A question the kiosk did not answer (it was restarting) is asked again."""
        last: list[dict] = []

        def check() -> dict | None:
            try:
                last[:] = [self.ask("state", timeout=3)]
            except AssertionError:
                if self.proc.poll() is not None:
                    raise
                return None
            return last[0] if predicate(last[0]) else None

        try:
            return wait_for(check, timeout, what, interval=0.1)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; last state: {last[0] if last else None}; "
                                 f"log:\n{self.log()[-2000:]}") from None

    def where(self, name: str) -> tuple[int, int]:
        found = self.ask("where", name=name)
        assert found["found"], f"no visible widget named {name}"
        return found["x"], found["y"]

    def log(self) -> str:
        path = self.data_dir / "kiosk.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def quit(self, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            try:
                self.ask("quit")
            except (AssertionError, BrokenPipeError, OSError):
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                stop(self.proc)
        return self.proc.returncode


def kiosk_config(tmp_path: Path, **kiosk: str | bool) -> Path:
    """The bundled kiosk.toml with ``[kiosk]`` values replaced (a string value is quoted)."""
    text = (ROOT / "kiosk.toml").read_text(encoding="utf-8")
    for key, value in kiosk.items():
        literal = ("true" if value else "false") if isinstance(value, bool) else f'"{value}"'
        lines = text.splitlines()
        start = lines.index("[kiosk]")
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
        hit = [i for i in range(start, end) if lines[i].split("=")[0].strip() == key]
        if hit:
            lines[hit[0]] = f"{key} = {literal}"
        else:
            lines.insert(start + 1, f"{key} = {literal}")
        text = "\n".join(lines) + "\n"
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return path


@pytest.fixture
def start_kiosk(tmp_path) -> Iterator[Callable[..., Kiosk]]:  # noqa: ANN001
    """``start_kiosk(env, config=None, python=sys.executable, wrap=None)``: the kiosk on the display in ``env``.

    ``wrap(argv, stdin, stdout) -> Popen`` starts it some other way (inside cage, as another user)."""
    started: list[Kiosk] = []

    def start(env: dict[str, str], config: Path | None = None, *, data_dir: Path | None = None,
              python: str = sys.executable, driver: Path = DRIVER, pythonpath: Path = ROOT,
              wrap: Callable[..., subprocess.Popen] | None = None) -> Kiosk:
        data = data_dir or tmp_path / f"data-{len(started)}"
        data.mkdir(exist_ok=True)
        cfg = config or kiosk_config(tmp_path)
        argv = [python, str(driver), str(cfg), str(data)]
        env = {**env, "PYTHONPATH": str(pythonpath), "PYTHONUNBUFFERED": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if wrap is not None:
            proc = wrap(argv, env)
        else:
            proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True, cwd=data)
        kiosk = Kiosk(proc, data)
        started.append(kiosk)
        return kiosk

    yield start
    for kiosk in started:
        kiosk.quit(timeout=5)
