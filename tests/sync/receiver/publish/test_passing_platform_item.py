"""The proposal or debate a visitor attached their idea to (wire field ``platform_item``), passed
on by every connector: Decidim and CONSUL's API (a "Bezug" line), the webhook (the object), the
CONSUL re-entry list (a column). Real receiver, real HTTP stand-ins, real SQLite."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
import requests

from kiosk.core.model import canonical_json, new_status_token
from sync.receiver import ReceiverSettings, ReceiverThread
from sync.receiver.publish.connectors.decidim import fit
from sync.receiver.publish.platform_item import platform_item, reference_line
from sync.receiver.storage import ReceiverStore
from sync.receiver.web.accounts import add_account
from sync.receiver.web.sessions import SessionSettings
from tests.sync.receiver.publish.standin_decidim import FAKE_KEY, FAKE_SECRET, DecidimStandIn
from tests.sync.receiver.publish.standins import (FAKE_WEBHOOK_SECRET, WebhookConsumer, receiver_toml,
                                                  write_secret)
from tests.sync.receiver.publish.test_outbox_pages import wait_for
from tests.sync.receiver.web_helpers import STAFF, STAFF_PASSWORD, idea, sign_in

ITEM = {"kind": "proposal", "id": "42", "url": "https://mitmachen.example.org/proposals/42-mehr-gruen",
        "title": "Mehr Grün in der Innenstadt"}
SECRETISH = "GEHEIM-7Q2"  # in a malformed value: must appear in no log line


@pytest.mark.parametrize("value", [
    None, "https://mitmachen.example.org/proposals/42", [ITEM], {**ITEM, "extra": "x"},
    {k: v for k, v in ITEM.items() if k != "title"}, {**ITEM, "kind": "petition"}, {**ITEM, "id": ""},
    {**ITEM, "id": 42}, {**ITEM, "title": "x" * 201}, {**ITEM, "title": "   "}, {**ITEM, "title": "a\x1bb"},
    {**ITEM, "url": "http://mitmachen.example.org/proposals/42"}, {**ITEM, "url": "javascript:alert(1)"},
    {**ITEM, "url": "https://mitmachen.example.org/a b"}, {**ITEM, "url": "https://"},
    {**ITEM, "url": "https://[::1"}, {**ITEM, "url": "https://x.org/" + "a" * 2000},
])
def test_a_malformed_value_is_ignored(value):
    assert platform_item({"platform_item": value}) is None
    assert reference_line({"platform_item": value, "locale": "de"}) == ""


def test_the_reference_line_follows_the_idea_s_language():
    assert platform_item({"platform_item": ITEM}) == ITEM
    assert platform_item({"platform_item": {**ITEM, "kind": "debate", "title": "x" * 200}})["kind"] == "debate"
    line = "Mehr Grün in der Innenstadt https://mitmachen.example.org/proposals/42-mehr-gruen"
    assert reference_line({"platform_item": ITEM, "locale": "de"}) == "Bezug: " + line
    assert reference_line({"platform_item": ITEM, "locale": "de-x-ls"}) == "Bezug: " + line
    assert reference_line({"platform_item": ITEM, "locale": "en"}) == "Reference: " + line
    assert reference_line({"platform_item": ITEM}) == "Bezug: " + line
    data = {"title": "Bäume am Holzmarkt bitte", "text": "Schatten für alle im Sommer", "reference_code": "AC3H7K",
            "locale": "en", "platform_item": ITEM}
    assert fit(data, {}).body == "Schatten für alle im Sommer\n\nKiosk-Nr. AC3H7K\nReference: " + line


def store_as_received(store: ReceiverStore, sub, value) -> None:  # noqa: ANN001
    """The submission as the receiver stores it after a PUT that carried ``platform_item``."""
    wire = sub.to_wire() | ({"platform_item": value} if value is not None else {})
    store.put_submission(submission_id=sub.id, sha256=sub.digest(), canonical=canonical_json(wire), kind=sub.kind,
                         kiosk_id=sub.kiosk_id, event_id=sub.event_id, created_at=sub.created_at,
                         delivered_by=sub.kiosk_id, blobs=[], topic_id=sub.topic_id)


def config(decidim_url: str, hook_url: str) -> str:
    return f"""[publish]\ninterval_s = 0.2
[connectors.consul_list]\nenabled = true\nproposal_url = "https://mitmachen.example.org/proposals/{{id}}"
[connectors.decidim]\nenabled = true\napi_url = "{decidim_url}/api"\ncomponent_id = "12"
key_file = "decidim.key"\nsecret_file = "decidim.secret"
proposal_url = "https://decidim.example.org/processes/smart-city/f/12/proposals/{{id}}"
[connectors.webhook]\nenabled = true\nurl = "{hook_url}"\nsecret_file = "webhook.secret"
"""


def test_every_connector_passes_the_attached_item_on_and_ignores_a_malformed_one(tmp_path, caplog):
    data = tmp_path / "r"
    data.mkdir()
    add_account(data, STAFF, "staff", STAFF_PASSWORD)
    write_secret(data / "decidim.key", FAKE_KEY)
    write_secret(data / "decidim.secret", FAKE_SECRET)
    write_secret(data / "webhook.secret", FAKE_WEBHOOK_SECRET)
    attached = idea(1, title="Trinkbrunnen am Holzmarkt", text="Wasser für alle im Sommer", locale="de",
                    status_token=new_status_token())
    english = idea(2, title="Drinking fountains downtown", text="Water for everyone in summer", locale="en",
                   status_token=new_status_token())
    malformed = idea(3, title="Bänke im Paradiespark", text="Mehr Bänke mit Lehne, bitte", status_token=new_status_token())
    plain = idea(4, title="Radweg nach Lobeda bitte", text="Der Radweg endet im Nichts", status_token=new_status_token())
    store = ReceiverStore(data)
    for sub, value in ((attached, ITEM), (english, {**ITEM, "kind": "debate", "url": "https://m.example.org/debates/7"}),
                       (malformed, {**ITEM, "url": f"javascript:{SECRETISH}", "title": SECRETISH}), (plain, None)):
        store_as_received(store, sub, value)
    store.close()
    subs = (attached, english, malformed, plain)
    with DecidimStandIn() as decidim, WebhookConsumer() as hook:
        receiver_toml(data, config(decidim.url, hook.url))
        with caplog.at_level(logging.DEBUG), \
                ReceiverThread(ReceiverSettings(data, sessions=SessionSettings(secure_cookie=False))) as r:
            r.app.state.moderation.decide([s.id for s in subs], "approved", actor="ben")
            assert wait_for(lambda: len(decidim.proposals) == 4 and len(hook.received) == 4)
            staff = sign_in(r.url, STAFF, STAFF_PASSWORD)
            listing = staff.get(r.url + "/staff/outbox/consul", timeout=5).text
            table = staff.get(r.url + "/staff/outbox/consul.csv", timeout=5).text
    bodies = {p["title"]: p["body"] for p in decidim.proposals}
    assert bodies["Trinkbrunnen am Holzmarkt"].endswith(
        f"Kiosk-Nr. {attached.reference_code}\nBezug: Mehr Grün in der Innenstadt {ITEM['url']}")
    assert bodies["Drinking fountains downtown"].endswith(
        "\nReference: Mehr Grün in der Innenstadt https://m.example.org/debates/7")
    assert bodies["Bänke im Paradiespark"].endswith(f"Kiosk-Nr. {malformed.reference_code}")  # ignored
    assert bodies["Radweg nach Lobeda bitte"].endswith(f"Kiosk-Nr. {plain.reference_code}")

    sent = {p["data"]["id"]: p["data"] for p in hook.received.values()}
    assert sent[attached.id]["platform_item"] == ITEM
    assert sent[english.id]["platform_item"]["kind"] == "debate"
    assert sent[malformed.id]["platform_item"] is None and sent[plain.id]["platform_item"] is None
    assert "attached_to" not in sent[plain.id]

    assert f'<a href="{ITEM["url"]}" rel="noreferrer">' in listing and "<dt>Bezug</dt>" in listing
    assert SECRETISH not in listing and "javascript:" not in listing
    rows = {row["reference_code"]: row for row in csv.DictReader(io.StringIO(table.lstrip("\ufeff")))}
    assert rows[attached.reference_code]["reference"] == ITEM["url"]
    assert rows[malformed.reference_code]["reference"] == "" and rows[plain.reference_code]["reference"] == ""
    assert SECRETISH not in caplog.text


def test_a_real_put_with_the_field_reaches_the_webhook(receiver_dir, token, kiosk_id):
    write_secret(receiver_dir / "webhook.secret", FAKE_WEBHOOK_SECRET)
    sub = idea(1, title="Trinkbrunnen am Holzmarkt", text="Wasser für alle im Sommer", kiosk_id=kiosk_id)
    body = json.loads(sub.canonical_json()) | {"platform_item": ITEM}
    with WebhookConsumer() as hook:
        receiver_toml(receiver_dir, f'[publish]\ninterval_s = 0.2\n[connectors.webhook]\nenabled = true\n'
                                    f'url = "{hook.url}"\nsecret_file = "webhook.secret"\n')
        with ReceiverThread(ReceiverSettings(receiver_dir)) as r:
            put = requests.put(f"{r.url}/api/v1/submissions/{sub.id}", data=canonical_json(body), timeout=5,
                               headers={"Authorization": f"Bearer {token}"})
            assert put.status_code == 201, put.text
            r.app.state.moderation.decide([sub.id], "approved", actor="ben")
            assert wait_for(lambda: len(hook.received) == 1)
    (payload,) = hook.received.values()
    assert payload["data"]["platform_item"] == ITEM
