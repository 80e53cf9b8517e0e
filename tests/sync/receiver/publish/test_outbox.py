"""The outbox over a real receiver store, delivering to real HTTP stand-ins on 127.0.0.1."""

from __future__ import annotations

import logging
import time

import pytest
import requests

from kiosk.core.model import Submission, new_status_token
from sync.receiver import ReceiverSettings, ReceiverThread
from sync.receiver.moderation import Moderation
from sync.receiver.publish.config import PublishConfigError, load_publish_config, read_secret
from sync.receiver.publish.connectors.webhook import WebhookConnector
from sync.receiver.publish.outbox import Outbox, backoff_delay
from sync.receiver.storage import ReceiverStore
from tests.sync.receiver.publish.standins import (FAKE_WEBHOOK_SECRET, WebhookConsumer, receiver_toml,
                                                  write_secret)
from tests.sync_helpers import make_idea


def put(store: ReceiverStore, sub: Submission) -> None:
    store.put_submission(submission_id=sub.id, sha256=sub.digest(), canonical=sub.canonical_json(), kind=sub.kind,
                         kiosk_id=sub.kiosk_id, event_id=sub.event_id, created_at=sub.created_at,
                         delivered_by=sub.kiosk_id, blobs=[])


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rstore(tmp_path):
    s = ReceiverStore(tmp_path / "r")
    yield s
    s.close()


@pytest.fixture
def consumer():
    with WebhookConsumer() as c:
        yield c


@pytest.fixture
def webhook(tmp_path, consumer):
    secret = read_secret(write_secret(tmp_path / "webhook.secret", FAKE_WEBHOOK_SECRET), "secret_file", tmp_path)
    return WebhookConnector(consumer.url, secret, timeout=(1.0, 1.0))


def test_backoff_is_jittered_under_a_growing_cap():
    assert [backoff_delay(n, lambda: 1.0) for n in (1, 2, 3, 4)] == [30.0, 60.0, 120.0, 240.0]
    assert backoff_delay(20, lambda: 1.0) == 3600.0
    assert backoff_delay(3, lambda: 0.0) == 60.0  # never sooner than half the step
    assert 240 <= backoff_delay(5) <= 480
    assert len({backoff_delay(5) for _ in range(20)}) > 1


def test_an_approved_item_is_delivered_once_signed_and_a_retry_keeps_its_key(rstore, consumer, webhook):
    clock = Clock()
    moderation = Moderation(rstore)
    outbox = Outbox(rstore, [webhook], clock=clock, rng=lambda: 1.0, max_attempts=3)
    moderation.on_decision(outbox.on_decision)
    subs = [make_idea(i, status_token=new_status_token(), author_name="Mia", district="Lobeda") for i in range(3)]
    for sub in subs:
        put(rstore, sub)
    moderation.decide([subs[0].id, subs[1].id], "approved", actor="anna")
    assert outbox.run_once().published == 2
    assert sorted(consumer.submission_ids()) == sorted([subs[0].id, subs[1].id])
    delivered = next(iter(consumer.received.values()))["data"]
    assert "district" not in delivered and "status_token" not in delivered and delivered["author_name"] == "Mia"
    assert outbox.run_once().published == 0  # nothing twice
    moderation.decide([subs[0].id], "approved", actor="anna")  # approving again adds nothing
    assert outbox.run_once().published == 0 and len(consumer.received) == 2

    consumer.fail_next = 1
    moderation.decide([subs[2].id], "approved", actor="anna")
    report = outbox.run_once()
    assert report.retried == 1
    (item,) = outbox.of(subs[2].id)
    assert (item.state, item.attempts, item.next_attempt_at) == ("pending", 1, clock.now + 30.0)
    assert outbox.run_once().published == 0  # not due yet
    clock.now += 30
    assert outbox.run_once().published == 1
    assert outbox.of(subs[2].id)[0].idempotency_key == item.idempotency_key
    assert consumer.repeats == 0 and consumer.rejected == 0


def test_staff_retry_a_failed_item_and_skip_another(rstore, consumer, webhook):
    clock = Clock()
    outbox = Outbox(rstore, [webhook], clock=clock, rng=lambda: 0.0, max_attempts=2)
    clock.now += 0
    a, b = make_idea(1), make_idea(2)
    for sub in (a, b):
        put(rstore, sub)
    outbox.enqueue([a.id, b.id])
    consumer.fail_next = 4
    outbox.run_once()
    clock.now += 3600
    outbox.run_once()
    assert {i.state for i in outbox.items()} == {"failed"}
    assert outbox.skip(b.id, "webhook") and outbox.of(b.id)[0].state == "skipped"
    assert outbox.retry(a.id, "webhook") and not outbox.retry(b.id, "webhook")
    assert outbox.run_once().published == 1
    assert consumer.submission_ids() == [a.id]


def test_withholding_after_approval_stops_the_publication(rstore, consumer, webhook):
    moderation = Moderation(rstore)
    outbox = Outbox(rstore, [webhook])
    moderation.on_decision(outbox.on_decision)
    sub = make_idea(1)
    put(rstore, sub)
    moderation.decide([sub.id], "approved", actor="anna")
    moderation.decide([sub.id], "withheld", actor="ben", reason="personal_data")
    assert outbox.run_once().published == 0 and consumer.requests == 0
    assert outbox.of(sub.id)[0].state == "skipped"


def test_a_slow_or_unreachable_webhook_is_a_retry_not_a_hang(rstore, consumer, webhook, tmp_path):
    consumer.delay_s = 3.0  # longer than the connector's 1 s read timeout
    outbox = Outbox(rstore, [webhook], clock=Clock())
    sub = make_idea(1)
    put(rstore, sub)
    outbox.enqueue([sub.id])
    started = time.monotonic()
    assert outbox.run_once().retried == 1
    assert time.monotonic() - started < 2.5
    assert "timed out" in outbox.of(sub.id)[0].last_error
    secret = read_secret(tmp_path / "webhook.secret", "secret_file", tmp_path)
    gone = Outbox(rstore, [WebhookConnector("http://127.0.0.1:9", secret, timeout=(1.0, 1.0))], clock=Clock())
    gone.recover()
    with rstore.transaction() as db:
        db.execute("UPDATE outbox SET state = 'pending', next_attempt_at = 0")
    assert gone.run_once().retried == 1
    assert "could not be reached" in gone.of(sub.id)[0].last_error


def test_credentials_must_be_the_receivers_alone_and_are_never_shown(tmp_path, caplog):
    secret_file = write_secret(tmp_path / "webhook.secret", FAKE_WEBHOOK_SECRET, mode=0o644)
    receiver_toml(tmp_path, '[connectors.webhook]\nenabled = true\nurl = "https://cms.example.org/hook"\n'
                            'secret_file = "webhook.secret"\n')
    with pytest.raises(PublishConfigError, match="chmod 600"):
        load_publish_config(tmp_path)
    secret_file.chmod(0o640)
    with pytest.raises(PublishConfigError, match="can be read by others"):
        load_publish_config(tmp_path)
    secret_file.chmod(0o600)
    with caplog.at_level(logging.DEBUG):
        config = load_publish_config(tmp_path)
        shown = repr(config)
    assert FAKE_WEBHOOK_SECRET not in shown and FAKE_WEBHOOK_SECRET not in caplog.text
    assert config.connectors["webhook"]["secret"].value == FAKE_WEBHOOK_SECRET


def test_the_receiver_publishes_what_staff_approve_and_the_page_follows(tmp_path, consumer, store, kiosk_id):
    from sync.client import SyncClient
    from sync.receiver import add_token

    data = tmp_path / "receiver"
    data.mkdir()
    token = add_token(data, kiosk_id)
    write_secret(data / "webhook.secret", FAKE_WEBHOOK_SECRET)
    receiver_toml(data, f'[publish]\ninterval_s = 0.2\n[connectors.webhook]\nenabled = true\nurl = "{consumer.url}"\n'
                        'secret_file = "webhook.secret"\n')
    sub = make_idea(1, status_token=new_status_token())
    store.add(sub)
    with ReceiverThread(ReceiverSettings(data)) as r:
        client = SyncClient(store, endpoint=r.url + "/api/v1", token=token)
        assert client.sync_pending().done == 1
        client.close()
        r.app.state.moderation.decide([sub.id], "approved", actor="anna")
        deadline = time.monotonic() + 10
        while not consumer.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert consumer.submission_ids() == [sub.id]
        assert r.app.state.outbox.of(sub.id)[0].state == "published"
        text = requests.get(f"{r.url}/s/{sub.status_token}", timeout=5).text
        assert "Freigegeben" in text  # a webhook has no public page to link to
