"""``platform_item`` on its way: to a receiver that knows it, and to receivers of before it
(real old receivers from this repository's history, on 127.0.0.1)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from kiosk.core.model import PlatformItemRef, new_status_token
from kiosk.core.reconcile import ReceiverClient, reconcile
from sync.client import SyncClient
from sync.receiver.storage import DB_NAME
from tests.sync_helpers import make_idea, old_receiver

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


@pytest.mark.parametrize("commit", sorted(OLD_RECEIVERS))
def test_a_receiver_of_before_it_gets_the_idea_without_the_link(tmp_path, store, kiosk_id, commit):
    with old_receiver(commit, tmp_path, kiosk_id) as (url, token, health):
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
