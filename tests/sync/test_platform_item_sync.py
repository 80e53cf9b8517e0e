"""``platform_item`` on its way: to a receiver that knows it, and to receivers of before it
(real old receivers from this repository's history, on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tarfile
import time
from contextlib import closing
from pathlib import Path

import pytest
import requests

from kiosk.core.model import PlatformItemRef, new_status_token
from kiosk.core.reconcile import ReceiverClient, reconcile
from sync.client import SyncClient
from sync.receiver import add_token
from sync.receiver.storage import DB_NAME
from tests.sync_helpers import make_idea

REPO = Path(__file__).resolve().parents[2]
REF = PlatformItemRef("proposal", "142", "https://mitmachen.example.org/proposals/142", "Mehr Bänke am Holzmarkt")

OLD_RECEIVERS = {
    "e3e7d7d": frozenset(),  # before the status pages: refuses any field it does not know
    "1f24506": frozenset({"status_token"}),  # knows the status token, not the platform link
}


def test_a_receiver_that_knows_it_keeps_it(store, receiver, receiver_dir, make_client):
    sub = make_idea(1, platform_item=REF, status_token=new_status_token())
    store.add(sub)
    client = make_client()
    assert client.sync_pending().done == 1
    assert "platform_item" in client.optional_fields
    with closing(sqlite3.connect(receiver_dir / DB_NAME)) as db:
        (canonical,) = db.execute("SELECT canonical FROM submissions WHERE id = ?", (sub.id,)).fetchone()
    assert json.loads(canonical)["platform_item"] == REF.to_wire()
    assert store.sync_state(sub.id).receipt["sha256"] == sub.digest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("commit", sorted(OLD_RECEIVERS))
def test_a_receiver_of_before_it_gets_the_idea_without_the_link(tmp_path, store, kiosk_id, commit):
    if subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", commit], capture_output=True).returncode:
        pytest.skip(f"this checkout has no git history of the receiver at {commit}")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "kiosk", "sync"],
                             capture_output=True, check=True).stdout
    (tmp_path / "old.tar").write_bytes(archive)
    with tarfile.open(tmp_path / "old.tar") as tar:
        tar.extractall(old, filter="data")
    receiver_dir = tmp_path / "old-receiver"
    receiver_dir.mkdir()
    token = add_token(receiver_dir, kiosk_id)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())",
                             "receiver", "--data-dir", str(receiver_dir), "--host", "127.0.0.1", "--port", str(port)],
                            env={**os.environ, "PYTHONPATH": str(old)}, cwd=old,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                health = requests.get(url + "/api/v1/health", timeout=1).json()
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        assert frozenset(health.get("optional_fields", ())) == OLD_RECEIVERS[commit]
        subs = [make_idea(i, platform_item=REF, status_token=new_status_token()) for i in range(2)]
        subs += [make_idea(5, platform_item=REF), make_idea(9)]
        for sub in subs:
            store.add(sub)
        client = SyncClient(store, endpoint=url + "/api/v1", token=token)
        report = client.sync_pending()
        client.close()
        assert report.done == 4 and not report.failed
        result = reconcile(store, ReceiverClient(url + "/api/v1", token).receipt)
        assert result.mismatches == [] and result.verified == 4
        assert store.get(subs[0].id).platform_item == REF  # the kiosk keeps it (and exports it)
    finally:
        proc.terminate()
        proc.wait(10)
