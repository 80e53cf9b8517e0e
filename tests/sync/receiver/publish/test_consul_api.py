"""The connector for CONSUL's PLANNED REST API (unreleased: consuldemocracy#6516, #6529) against a
stand-in REST server on 127.0.0.1 (real HTTP; not CONSUL, and not a released API)."""

from __future__ import annotations

import json
import logging
import os
import signal
import time

import pytest

from kiosk.core.model import canonical_json
from sync.receiver.moderation import Moderation
from sync.receiver.publish.config import PublishConfigError, load_publish_config, read_secret
from sync.receiver.publish.connectors import build_connectors
from sync.receiver.publish.connectors.consul_api import UNRELEASED_API, ConsulApiConnector, proposal_fields
from sync.receiver.publish.outbox import Outbox
from sync.receiver.storage import ReceiverStore
from tests.sync.receiver.publish.standin_consul_rest import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, ConsulRestStandIn
from tests.sync.receiver.publish.standins import receiver_toml, write_secret
from tests.sync.receiver.publish.test_outbox import Clock, put
from tests.sync.receiver.publish.test_outbox_kill import start_receiver
from tests.sync_helpers import make_idea

URL = "https://mitmachen.example.org/proposals/{id}"
ATTACHED = {"kind": "proposal", "id": "42", "url": "https://mitmachen.example.org/proposals/42",
            "title": "Mehr Grün in der Innenstadt"}


@pytest.mark.parametrize(("data", "edits", "expected"), [
    ({"title": "Bänke", "text": "Mehr Bänke im Paradiespark", "reference_code": "AC3H7K"}, {},
     {"title": "Bänke", "summary": "Mehr Bänke im Paradiespark",
      "description": "Mehr Bänke im Paradiespark\n\nKiosk-Nr. AC3H7K"}),
    ({"title": None, "text": "Trinkbrunnen am Markt", "reference_code": "AC3H7K", "locale": "en",
      "platform_item": ATTACHED}, {},
     {"title": "Trinkbrunnen am Markt", "summary": "Trinkbrunnen am Markt",
      "description": "Trinkbrunnen am Markt\n\nKiosk-Nr. AC3H7K\n"
                     "Reference: Mehr Grün in der Innenstadt https://mitmachen.example.org/proposals/42"}),
    ({"title": "Schatten", "text": "x" * 300, "reference_code": "AC3H7K"}, {},
     {"title": "Schatten", "summary": "Schatten", "description": "x" * 300 + "\n\nKiosk-Nr. AC3H7K"}),
    ({"title": "Ein Titel, der viel zu lang ist für CONSUL, weil er über achtzig Zeichen hat, wirklich",
      "text": "Kurz", "reference_code": "AC3H7K"}, {}, "the title has 86 characters; CONSUL needs 4 to 80"),
    ({"title": None, "text": "x" * 300, "reference_code": "AC3H7K"}, {},
     "no title: CONSUL needs a title of 4 to 80 characters"),
    ({"title": None, "text": "x" * 300, "reference_code": "AC3H7K"}, {"title": "Vom Team", "body": "Neu: kürzer"},
     {"title": "Vom Team", "summary": "Neu: kürzer", "description": "Neu: kürzer\n\nKiosk-Nr. AC3H7K"}),
])
def test_what_fits_consul_and_nothing_is_cut(data, edits, expected):
    got = proposal_fields(data, edits, "Mobilität")
    if isinstance(expected, str):
        assert got == expected
    else:
        assert got == {**expected, "tag_list": "Mobilität", "terms_of_service": "1"}


@pytest.fixture
def consul():
    with ConsulRestStandIn() as c:
        yield c


def secrets_in(tmp_path):  # noqa: ANN001, ANN201
    return (read_secret(write_secret(tmp_path / "consul.id", FAKE_CLIENT_ID), "client_id_file", tmp_path),
            read_secret(write_secret(tmp_path / "consul.secret", FAKE_CLIENT_SECRET), "client_secret_file", tmp_path))


@pytest.fixture
def connector(tmp_path, consul):
    cid, secret = secrets_in(tmp_path)
    return ConsulApiConnector(consul.url, cid, secret, URL, responsible_name="Stadt Jena, Kiosk-Team",
                              topic_title=lambda tid, lang: {"de": "Mobilität", "en": "Mobility"}[lang] + f" ({tid})",
                              timeout=(1.0, 1.0))


@pytest.fixture
def rstore(tmp_path):
    s = ReceiverStore(tmp_path / "r")
    yield s
    s.close()


def put_attached(store: ReceiverStore, sub, platform_item) -> None:  # noqa: ANN001
    """The submission as the receiver stores it when the kiosk sent ``platform_item`` with it."""
    wire = {**sub.to_wire(), "platform_item": platform_item}
    store.put_submission(submission_id=sub.id, sha256=sub.digest(), canonical=canonical_json(wire), kind=sub.kind,
                         kiosk_id=sub.kiosk_id, event_id=sub.event_id, created_at=sub.created_at,
                         delivered_by=sub.kiosk_id, blobs=[])


def test_it_is_marked_as_following_an_unreleased_api_and_is_off_by_default(tmp_path):
    assert UNRELEASED_API is True
    data = tmp_path / "d"
    data.mkdir()
    receiver_toml(data, '[connectors.consul_api]\nbase_url = "https://mitmachen.example.org"\n'
                        'client_id_file = "nowhere"\nclient_secret_file = "nowhere"\nproposal_url = "' + URL + '"\n')
    assert build_connectors(load_publish_config(data)) == []  # not enabled: not built, its files not even read
    write_secret(data / "consul.id", FAKE_CLIENT_ID, mode=0o644)
    write_secret(data / "consul.secret", FAKE_CLIENT_SECRET)
    receiver_toml(data, '[connectors.consul_api]\nenabled = true\nbase_url = "https://mitmachen.example.org"\n'
                        'client_id_file = "consul.id"\nclient_secret_file = "consul.secret"\nproposal_url = "'
                        + URL + '"\n')
    with pytest.raises(PublishConfigError, match="chmod 600") as refused:
        load_publish_config(data)
    assert FAKE_CLIENT_ID not in str(refused.value)
    (data / "consul.id").chmod(0o600)
    (built,) = build_connectors(load_publish_config(data))
    assert isinstance(built, ConsulApiConnector) and FAKE_CLIENT_SECRET not in repr(vars(built))


def test_an_approved_idea_becomes_a_proposal_with_its_reference(rstore, consul, connector):
    moderation, outbox = Moderation(rstore), Outbox(rstore, [connector], clock=Clock())
    moderation.on_decision(outbox.on_decision)
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put_attached(rstore, sub, ATTACHED)
    moderation.decide([sub.id], "approved", actor="anna")
    assert outbox.run_once().published == 1
    (created,) = consul.created
    assert created["title"] == "Trinkbrunnen am Holzmarkt" and created["summary"] == "Im Sommer fehlt Wasser für alle."
    assert created["description"] == (f"Im Sommer fehlt Wasser für alle.\n\nKiosk-Nr. {sub.reference_code}\n"
                                      "Bezug: Mehr Grün in der Innenstadt https://mitmachen.example.org/proposals/42")
    assert created["tag_list"] == f"Mobilität ({sub.topic_id})" and created["responsible_name"]
    (item,) = outbox.of(sub.id)
    assert (item.state, item.remote_id, item.remote_url) == ("published", "31", URL.replace("{id}", "31"))
    assert consul.idempotency_keys == [item.idempotency_key]


def test_a_validation_error_goes_to_staff_and_their_edit_goes_out(rstore, consul, connector, tmp_path):
    outbox = Outbox(rstore, [connector], clock=Clock())
    long_title = make_idea(1, title="Ein Titel, der viel zu lang ist für CONSUL, weil er achtzig Zeichen deutlich übersteigt",
                           text="Mehr Bänke im Paradiespark, bitte mit Lehne.")
    put(rstore, long_title)
    outbox.enqueue([long_title.id])
    assert outbox.run_once().needs_editing == 1 and consul.created == []
    assert "CONSUL needs 4 to 80" in outbox.of(long_title.id)[0].last_error
    assert outbox.edit(long_title.id, "consul_api", title="Mehr Bänke im Paradiespark")
    assert outbox.run_once().published == 1 and consul.created[0]["title"] == "Mehr Bänke im Paradiespark"

    cid, secret = secrets_in(tmp_path)  # CONSUL's own rules (here: no responsible name configured) -> 422
    bare = Outbox(rstore, [ConsulApiConnector(consul.url, cid, secret, URL, timeout=(1.0, 1.0))], clock=Clock())
    sub = make_idea(2, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put(rstore, sub)
    bare.enqueue([sub.id])
    assert bare.run_once().needs_editing == 1
    assert outbox.of(sub.id)[0].last_error == "CONSUL refused it: responsible_name: is too short (minimum is 6 characters)"


def test_5xx_is_retried_and_an_expired_token_renewed_once(rstore, consul, connector):
    clock = Clock()
    outbox = Outbox(rstore, [connector], clock=clock, rng=lambda: 0.0)
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put(rstore, sub)
    outbox.enqueue([sub.id])
    consul.fail_writes = 1
    assert outbox.run_once().retried == 1 and "CONSUL answered 500" in outbox.of(sub.id)[0].last_error
    assert outbox.run_once().retried == 0  # not before the backoff
    consul.tokens.clear()  # the token expired meanwhile
    tokens = consul.token_requests
    clock.now += 3600
    assert outbox.run_once().published == 1
    assert consul.token_requests == tokens + 1 and len(consul.created) == 1


def test_a_lost_answer_and_a_crash_mid_call_publish_exactly_once(rstore, consul, connector):
    outbox = Outbox(rstore, [connector], clock=Clock(), rng=lambda: 0.0)
    lost, crashed = (make_idea(i, title="Trinkbrunnen am Holzmarkt", text=f"Im Sommer fehlt Wasser, Nummer {i}.")
                     for i in (1, 2))
    for sub in (lost, crashed):
        put(rstore, sub)
    outbox.enqueue([lost.id])
    consul.drop_answer_once = True
    assert outbox.run_once().retried == 1 and len(consul.created) == 1
    outbox.clock.now += 3600
    assert outbox.run_once().published == 1 and len(consul.created) == 1  # found, not made again
    assert outbox.of(lost.id)[0].remote_id == consul.created[0]["id"]

    outbox.enqueue([crashed.id])
    (claimed,) = outbox._claim(1)
    assert outbox._deliver(claimed).state == "published"  # CONSUL made it; the receiver died before recording
    again = Outbox(rstore, [connector], clock=Clock())
    assert again.recover() == 1 and again.run_once().published == 1
    assert len(consul.created) == 2 and again.of(crashed.id)[0].remote_id == consul.created[1]["id"]


def test_wrong_credentials_fail_and_nothing_secret_is_logged(rstore, consul, tmp_path, caplog):
    cid = read_secret(write_secret(tmp_path / "id", "wrong-client-1111"), "client_id_file", tmp_path)
    secret = read_secret(write_secret(tmp_path / "s", "wrong-secret-2222"), "client_secret_file", tmp_path)
    outbox = Outbox(rstore, [ConsulApiConnector(consul.url, cid, secret, URL)], clock=Clock())
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put(rstore, sub)
    outbox.enqueue([sub.id])
    with caplog.at_level(logging.DEBUG):
        assert outbox.run_once().failed == 1
    error = outbox.of(sub.id)[0].last_error
    assert "refused the API client" in error and "wrong-" not in error and "wrong-" not in caplog.text


def test_a_receiver_killed_mid_call_publishes_every_item_exactly_once(tmp_path):
    data = tmp_path / "receiver"
    data.mkdir()
    write_secret(data / "consul.id", FAKE_CLIENT_ID)
    write_secret(data / "consul.secret", FAKE_CLIENT_SECRET)
    store = ReceiverStore(data)
    subs = [make_idea(i, title=f"Idee Nummer {i}", text=f"Mehr Schatten am Markt, Nummer {i}.") for i in range(8)]
    for sub in subs:
        put(store, sub)
    Moderation(store).decide([s.id for s in subs], "approved", actor="anna")
    store.close()
    with ConsulRestStandIn(proposals=3) as consul:
        receiver_toml(data, f'[publish]\ninterval_s = 0.2\n[connectors.consul_api]\nenabled = true\n'
                            f'base_url = "{consul.url}"\nclient_id_file = "consul.id"\n'
                            f'client_secret_file = "consul.secret"\nproposal_url = "{URL}"\n'
                            f'responsible_name = "Stadt Jena, Kiosk-Team"\n')
        first = start_receiver(data)

        def kill_on_third(n: int) -> None:  # CONSUL has made the proposal; the receiver never hears so
            if n == 3:
                os.kill(first.pid, signal.SIGKILL)
                first.wait(10)

        consul.on_create = kill_on_third
        assert first.wait(60) == -signal.SIGKILL, (tmp_path / "receiver.log").read_text()[-2000:]
        consul.on_create = lambda _n: None
        assert len(consul.created) == 3
        second = start_receiver(data)
        try:
            deadline = time.monotonic() + 60
            while len(consul.created) < 8 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)  # a second proposal for the interrupted one would come now
        finally:
            second.terminate()
            second.wait(20)
        codes = [line.removeprefix("Kiosk-Nr. ") for c in consul.created for line in c["description"].splitlines()
                 if line.startswith("Kiosk-Nr. ")]
        assert sorted(codes) == sorted(s.reference_code for s in subs)  # each exactly once
        log = (tmp_path / "receiver.log").read_text()
        assert "unreleased" in log or "not released" in log
        assert FAKE_CLIENT_SECRET not in log and FAKE_CLIENT_ID not in log
    store = ReceiverStore(data, clean_tmp=False)
    with store.reading() as db:
        rows = db.execute("SELECT state, remote_id FROM outbox").fetchall()
    store.close()
    assert sorted(r[1] for r in rows) == sorted(c["id"] for c in consul.created) and {r[0] for r in rows} == {"published"}
    assert json.dumps(rows)  # plain values


def test_the_example_config_parses_and_enables_nothing(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[4] / "deploy" / "receiver" / "receiver.toml.example"
    text = example.read_text(encoding="utf-8")
    assert "[connectors.consul_api]\nenabled = false" in text and "UNRELEASED" in text
    assert load_publish_config(tmp_path, example).connectors == {}
