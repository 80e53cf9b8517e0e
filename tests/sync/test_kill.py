"""`kiosk sync` killed with SIGKILL at named points and at random times, then run again."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.client import PAUSE_ENV

from sync_helpers import KIOSK_ID, assert_exactly_once, mixed_submissions, receiver_digests

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture
def kiosk_config(tmp_path, data_dir, receiver, token):
    (data_dir / "sync.token").write_text(token + "\n")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[kiosk]\nid = "{KIOSK_ID}"\n\n[sync]\nenabled = true\n'
                   f'endpoint = "{receiver.url}/api/v1"\ntoken_file = "sync.token"\n', encoding="utf-8")
    return cfg


def kiosk_sync(cfg: Path, data_dir: Path, pause_at: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(PAUSE_ENV, None)
    if pause_at:
        env[PAUSE_ENV] = pause_at
    return subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "--config", str(cfg), "--data-dir", str(data_dir)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)


def wait_for_pause(proc: subprocess.Popen, timeout: float = 20.0) -> str:
    end = time.monotonic() + timeout
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), True)
    while time.monotonic() < end:
        line = proc.stderr.readline().decode()
        if line.startswith("SYNC-PAUSE"):
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"child never paused (exit {proc.poll()})")


def finish(cfg: Path, data_dir: Path) -> None:
    proc = kiosk_sync(cfg, data_dir)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, (out, err)
    assert b"Still pending: 0." in out


@pytest.mark.parametrize("point", [
    "before_blob_put@1", "after_blob_put@1", "after_blob_put@2",
    "after_submission_put@1", "after_submission_put@3", "after_mark_sent@2",
])
def test_killed_at_a_named_point_then_rerun(store, data_dir, receiver_dir, kiosk_config, point):
    subs = mixed_submissions(6)
    for s in subs:
        store.add(s)
    proc = kiosk_sync(kiosk_config, data_dir, point)
    line = wait_for_pause(proc)
    assert point.split("@")[0] in line
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    finish(kiosk_config, data_dir)
    assert_exactly_once(store, receiver_dir, subs)


def count_on_receiver(receiver_dir: Path) -> int:
    try:
        return len(receiver_digests(receiver_dir))
    except Exception:  # the receiver's file may not exist yet or be mid-write
        return 0


def test_killed_at_random_moments(store, data_dir, receiver_dir, kiosk_config):
    subs = mixed_submissions(200)
    for s in subs:
        store.add(s)
    rng = random.Random(5)
    # Kill once the receiver has seen a random number of arrivals in each third,
    # so the kills land mid-sync however fast or slow this machine is today.
    for low, high in ((5, 50), (60, 110), (120, 170)):
        target = rng.randint(low, high)
        proc = kiosk_sync(kiosk_config, data_dir)
        end = time.monotonic() + 60
        while count_on_receiver(receiver_dir) < target and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    arrived = count_on_receiver(receiver_dir)
    assert 0 < arrived < len(subs), "the kills should land in the middle of the sync"
    finish(kiosk_config, data_dir)
    assert_exactly_once(store, receiver_dir, subs)
