"""``kiosk demo``: a local receiver with a fresh token, and the kiosk against it."""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, add_command, load

DEMO_TOKEN_FILE = "sync.token"
DEMO_INTERVAL_S = 2.0
"""The demo's receiver is local: check often, so a newcomer sees the loop at once."""


@dataclass(frozen=True, slots=True)
class DemoSetup:
    receiver_dir: Path
    kiosk_dir: Path
    token_file: Path
    staff_password: str
    """The password of the staff web app's account ``staff`` (an admin)."""


def prepare_demo(base: Path, kiosk_id: str) -> DemoSetup:
    """A receiver data dir with a fresh token and a staff web app account ``staff`` (admin) with a
    fresh password, and a kiosk data dir whose token file holds that token."""
    from sync.receiver import add_token
    from sync.receiver.web.accounts import add_account

    receiver_dir, kiosk_dir = base / "receiver", base / "kiosk"
    kiosk_dir.mkdir(parents=True, exist_ok=True)
    token_file = kiosk_dir / DEMO_TOKEN_FILE
    token_file.write_text(add_token(receiver_dir, kiosk_id) + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    password = secrets.token_urlsafe(9)
    add_account(receiver_dir, "staff", "admin", password)
    return DemoSetup(receiver_dir, kiosk_dir, token_file, password)


def demo_config(config: Any, endpoint: str, token_file: Path) -> Any:
    """*config* with sync switched on against the demo receiver."""
    sync = dataclasses.replace(config.sync, enabled=True, endpoint=endpoint, token_file=str(token_file),
                               interval_s=min(config.sync.interval_s, DEMO_INTERVAL_S), ca_bundle="")
    return dataclasses.replace(config, sync=sync)


def cmd_demo(args: argparse.Namespace) -> int:
    from sync.receiver import ReceiverSettings, ReceiverThread

    config = load(args, quiet_warnings=True)
    base = Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    try:
        setup = prepare_demo(base, config.kiosk.id)
        with ReceiverThread(ReceiverSettings(setup.receiver_dir), port=args.port) as receiver:
            print(f"Demo receiver: {receiver.url}  (the kiosk delivers to {receiver.url}/api/v1)\n"
                  f"Staff web app: {receiver.url}/staff/login  (account: staff, password: {setup.staff_password})\n"
                  f"Demo data: {base}", file=sys.stderr)
            cfg = demo_config(config, receiver.url + "/api/v1", setup.token_file)
            if args.no_gui:
                print("Receiver running; Ctrl-C stops it.", file=sys.stderr)
                try:
                    threading.Event().wait()
                except KeyboardInterrupt:
                    return EXIT_OK
            from kiosk.app import EXIT_RESTART, run_gui  # the GUI; imported only here (Qt)

            while True:
                code = run_gui(cfg, setup.kiosk_dir, windowed=args.windowed, quit_after_s=args.quit_after)
                if code != EXIT_RESTART:
                    return code
                # "Restart" in the staff panel: a fresh kiosk against the same demo receiver.
                print("Restarting the kiosk; the demo receiver keeps running.", file=sys.stderr)
    finally:
        if args.keep:
            print(f"Demo data kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "demo", cmd_demo,
                    "try the whole loop: a local receiver with a fresh token, and the kiosk against it")
    p.add_argument("--windowed", action="store_true", help="run the kiosk in a window")
    p.add_argument("--port", type=int, default=0, help="receiver port (default: any free one)")
    p.add_argument("--no-gui", action="store_true", help="only run the demo receiver")
    p.add_argument("--keep", action="store_true", help="keep the temporary data dir afterwards")
    p.add_argument("--quit-after", type=float, default=None, metavar="SECONDS",
                   help="leave the kiosk after SECONDS, like 'exit kiosk' (smoke runs)")
