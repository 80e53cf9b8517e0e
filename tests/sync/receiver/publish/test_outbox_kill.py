"""A receiver killed in the middle of a publication run: every approved item ends up published
exactly once (a real subprocess receiver, SIGKILLed, and started again)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from sync.receiver.moderation import Moderation
from sync.receiver.storage import ReceiverStore
from tests.sync.receiver.publish.standins import FAKE_WEBHOOK_SECRET, WebhookConsumer, receiver_toml, write_secret
from tests.sync.receiver.publish.test_outbox import put
from tests.sync_helpers import make_idea


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_receiver(data) -> subprocess.Popen:  # noqa: ANN001
    log = open(data.parent / "receiver.log", "ab")  # noqa: SIM115 - the child holds it
    return subprocess.Popen([sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())",
                             "receiver", "--data-dir", str(data), "--host", "127.0.0.1", "--port", str(_port())],
                            stdout=subprocess.DEVNULL, stderr=log)


def test_a_receiver_killed_mid_run_publishes_every_approved_item_exactly_once(tmp_path):
    data = tmp_path / "receiver"
    data.mkdir()
    write_secret(data / "webhook.secret", FAKE_WEBHOOK_SECRET)
    store = ReceiverStore(data)
    subs = [make_idea(i) for i in range(20)]
    for sub in subs:
        put(store, sub)
    Moderation(store).decide([s.id for s in subs], "approved", actor="anna")  # decided before any receiver runs
    store.close()
    with WebhookConsumer() as consumer:
        receiver_toml(data, f'[publish]\ninterval_s = 0.2\n[connectors.webhook]\nenabled = true\n'
                            f'url = "{consumer.url}"\nsecret_file = "webhook.secret"\n')
        first = start_receiver(data)
        consumer.delay_s = 0.05

        def kill_on_fifth(n: int) -> None:
            # The worst moment: the platform has processed the item, the receiver has not heard so.
            if n == 5:
                os.kill(first.pid, signal.SIGKILL)
                first.wait(10)

        consumer.on_request = kill_on_fifth
        assert first.wait(60) == -signal.SIGKILL, (tmp_path / "receiver.log").read_text()[-2000:]
        consumer.on_request = lambda _n: None
        assert 5 <= len(consumer.received) < 20  # killed mid-run
        second = start_receiver(data)
        try:
            deadline = time.monotonic() + 60
            while len(consumer.received) < 20 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            second.terminate()
            second.wait(20)
        ids = consumer.submission_ids()
        assert sorted(ids) == sorted(s.id for s in subs)  # every one, each under one webhook-id
        assert consumer.repeats == 1  # the one killed mid-answer came again with its key, and was dropped
        assert consumer.rejected == 0
    store = ReceiverStore(data, clean_tmp=False)
    with store.reading() as db:
        states = db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
    store.close()
    assert states == [("published", 20)]
