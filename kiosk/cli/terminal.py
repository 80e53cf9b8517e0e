"""``kiosk install-terminal``: turn this Debian / Raspberry Pi OS machine into a kiosk terminal.

One idempotent command (run it again after an update: what is already right stays):
the Debian packages (cage, udisks2, polkitd, an emoji font), an unprivileged user, the data
dir owned by it, ``/etc/smart-city-kiosk/kiosk.toml`` (the bundled one, if there is none),
and the files of ``deploy/terminal/`` (kiosk.core.terminal): cage with the kiosk on tty1 at
boot, restarted always, watched by systemd's watchdog; USB sticks mounted for the staff
export; no console blanking. ``--uninstall`` takes the files and the service away and keeps
the user, the config and every contribution.

``--root DIR`` writes everything under DIR instead of ``/`` and runs no command (it prints
what it would run): for trying it out, and for the tests.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, EXIT_USAGE, CommandError, add_command
from kiosk.core import terminal
from kiosk.core.config import BUNDLED_CONFIG

GROUPS = ("video", "render", "input", "plugdev")
"""Device groups the kiosk user joins where they exist (logind grants the seat's devices too)."""


def kiosk_executable() -> str:
    """The ``kiosk`` command of this installation (the venv it was installed into)."""
    found = Path(sys.executable).parent / "kiosk"
    return str(found if found.exists() else shutil.which("kiosk") or found)


class Steps:
    """Runs commands, or with a root other than / only prints them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dry = root.resolve() != Path("/")

    @staticmethod
    def say(line: str) -> None:
        print(line)

    def run(self, *argv: str, check: bool = True) -> int:
        if self.dry:
            self.say(f"would run: {shlex.join(argv)}")
            return 0
        self.say(f"running: {shlex.join(argv)}")
        code = subprocess.run(argv, check=False).returncode
        if code and check:
            raise CommandError(f"{argv[0]} failed with exit code {code}")
        return code


def _missing_packages() -> list[str]:
    missing = []
    for package in terminal.PACKAGES:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in done.stdout:
            missing.append(package)
    return missing


def _user(steps: Steps, name: str, home: str) -> None:
    try:
        pwd.getpwnam(name)
        steps.say(f"user {name}: exists")
        exists = True
    except KeyError:
        exists = False
    groups = [g for g in GROUPS if _group_exists(g)]
    if not exists:
        steps.run("useradd", "--system", "--home-dir", home, "--no-create-home", "--shell", "/usr/sbin/nologin",
                  *(["--groups", ",".join(groups)] if groups else []), name)
    elif groups:
        steps.run("usermod", "--append", "--groups", ",".join(groups), name)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def cmd_install_terminal(args: argparse.Namespace) -> int:
    root = Path(args.root)
    steps = Steps(root)
    if not steps.dry and os.geteuid() != 0:
        raise CommandError("install-terminal changes the system: run it as root (sudo), "
                           "or try it out with --root DIR", EXIT_USAGE)
    kiosk = args.kiosk or kiosk_executable()
    config_path = str(Path(getattr(args, "config", None) or terminal.DEFAULT_CONFIG).absolute())
    data_path = str(Path(getattr(args, "data_dir", None) or terminal.DEFAULT_DATA_DIR).absolute())
    files = terminal.plan(user=args.user, kiosk=kiosk, config=config_path, data_dir=data_path)
    if args.uninstall:
        steps.run("systemctl", "disable", "--now", terminal.UNIT, check=False)
        for path, what in terminal.remove(files, root):
            steps.say(f"{what}: /{path}")
        steps.run("systemctl", "daemon-reload", check=False)
        steps.run("udevadm", "control", "--reload", check=False)
        steps.say(f"kept: the user {args.user}, {config_path} and the data in {data_path}")
        return EXIT_OK

    if not args.no_packages:
        missing = list(terminal.PACKAGES) if steps.dry else _missing_packages()
        if missing:
            steps.run("apt-get", "install", "-y", "--no-install-recommends", *missing)
        else:
            steps.say("packages: all there")
    _user(steps, args.user, data_path)
    for path, what in terminal.write(files, root):
        steps.say(f"{what}: /{path}")
    config = root / config_path.lstrip("/")
    if config.exists():
        steps.say(f"unchanged: {config_path} (yours: edit it, then kiosk check-config --config {config})")
    else:
        config.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUNDLED_CONFIG, config)
        config.chmod(0o644)
        steps.say(f"written: {config_path} (the bundled example: edit it for your event)")
    data = root / data_path.lstrip("/")
    data.mkdir(parents=True, exist_ok=True)
    steps.run("chown", f"{args.user}:{args.user}", data_path)
    steps.run("systemd-tmpfiles", "--create", "/usr/lib/tmpfiles.d/smart-city-kiosk.conf")
    steps.run("systemctl", "daemon-reload")
    steps.run("udevadm", "control", "--reload")
    steps.run("systemctl", "set-default", "graphical.target")
    steps.run("systemctl", "enable", terminal.UNIT)
    reason = terminal.volatile_reason(Path(data_path))
    if reason and not steps.dry:
        print(f"kiosk: warning: {reason}", file=sys.stderr)
    if not steps.dry and (kiosk.startswith("/root/") or not Path(kiosk).exists()):
        print(f"kiosk: warning: the user {args.user} must be able to run {kiosk}; install the kiosk into a "
              f"venv outside /root, e.g. /opt/kiosk", file=sys.stderr)
    steps.say(f"done: the kiosk starts on tty1 at the next boot (now: systemctl start {terminal.UNIT})")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "install-terminal", cmd_install_terminal,
                    "make this Debian machine a kiosk terminal: cage on tty1 at boot (run as root)")
    p.epilog = (f"Here --config is the kiosk.toml the service uses (default {terminal.DEFAULT_CONFIG}) and "
                f"--data-dir where it keeps contributions, on a persistent partition "
                f"(default {terminal.DEFAULT_DATA_DIR}).")
    p.add_argument("--uninstall", action="store_true", help="remove the service and its files (keeps the data)")
    p.add_argument("--root", default="/", metavar="DIR",
                   help="write the files under DIR and run no command (try it out)")
    p.add_argument("--user", default=terminal.DEFAULT_USER, help="the unprivileged user the kiosk runs as")
    p.add_argument("--kiosk", metavar="PATH", help="the kiosk command to start (default: this installation's)")
    p.add_argument("--no-packages", action="store_true", help="install no Debian packages")
