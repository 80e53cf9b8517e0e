"""The Decidim connector against the Decidim stand-in (real HTTP and GraphQL on 127.0.0.1)."""

from __future__ import annotations

import time

import pytest

from sync.receiver.moderation import Moderation
from sync.receiver.publish.config import read_secret
from sync.receiver.publish.connectors.decidim import DecidimConnector, Fitted, fit
from sync.receiver.publish.outbox import Outbox
from sync.receiver.storage import ReceiverStore
from tests.sync.receiver.publish.standin_decidim import FAKE_KEY, FAKE_SECRET, DecidimStandIn
from tests.sync.receiver.publish.standins import write_secret
from tests.sync.receiver.publish.test_outbox import Clock, put
from tests.sync_helpers import make_idea

URL = "https://decidim.example.org/processes/smart-city/f/12/proposals/{id}"


@pytest.mark.parametrize(("data", "edits", "expected"), [
    ({"title": "Mehr Bäume am Holzmarkt", "text": "Schatten für alle im Sommer", "reference_code": "AC3H7K"}, {},
     Fitted("Mehr Bäume am Holzmarkt", "Schatten für alle im Sommer\n\nKiosk-Nr. AC3H7K")),
    ({"title": None, "text": "Trinkbrunnen am Markt bitte", "reference_code": "AC3H7K"}, {},
     Fitted("Trinkbrunnen am Markt bitte", "Trinkbrunnen am Markt bitte\n\nKiosk-Nr. AC3H7K")),
    ({"title": "Bänke", "text": "Mehr Bänke im Paradiespark", "reference_code": "AC3H7K"}, {},
     Fitted(problem="the title has 5 characters; Decidim needs 15 to 150")),
    ({"title": None, "text": "x" * 400, "reference_code": "AC3H7K"}, {},
     Fitted(problem="no title: Decidim needs a title of 15 to 150 characters")),
    ({"title": "Ein guter langer Titel", "text": "Zu kurz", "reference_code": "AC3H7K"}, {},
     Fitted(problem="the text has 7 characters; Decidim needs at least 15")),
    ({"title": None, "text": "x" * 400, "reference_code": "AC3H7K"}, {"title": "Ein Titel vom Team der Stadt"},
     Fitted("Ein Titel vom Team der Stadt", "x" * 400 + "\n\nKiosk-Nr. AC3H7K")),
])
def test_what_fits_decidim_and_nothing_is_cut(data, edits, expected):
    assert fit(data, edits) == expected


@pytest.fixture
def decidim():
    with DecidimStandIn() as d:
        yield d


@pytest.fixture
def connector(tmp_path, decidim):
    key = read_secret(write_secret(tmp_path / "decidim.key", FAKE_KEY), "key_file", tmp_path)
    secret = read_secret(write_secret(tmp_path / "decidim.secret", FAKE_SECRET), "secret_file", tmp_path)
    return DecidimConnector(decidim.url + "/api", "12", key, secret, URL, timeout=(1.0, 1.0))


@pytest.fixture
def rstore(tmp_path):
    s = ReceiverStore(tmp_path / "r")
    yield s
    s.close()


def test_an_approved_idea_becomes_a_proposal_with_its_id_and_url(rstore, decidim, connector):
    moderation, outbox = Moderation(rstore), Outbox(rstore, [connector], clock=Clock(), rng=lambda: 0.0)
    moderation.on_decision(outbox.on_decision)
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.", locale="en")
    put(rstore, sub)
    moderation.decide([sub.id], "approved", actor="anna")
    assert outbox.run_once().published == 1
    (proposal,) = decidim.proposals
    assert proposal["title"] == "Trinkbrunnen am Holzmarkt" and proposal["locale"] == "en"
    assert proposal["body"].startswith("Im Sommer fehlt Wasser für alle.") and sub.reference_code in proposal["body"]
    (item,) = outbox.of(sub.id)
    assert (item.state, item.remote_id, item.remote_url) == (
        "published", "100", "https://decidim.example.org/processes/smart-city/f/12/proposals/100")


def test_an_idea_that_does_not_fit_waits_for_staff_and_their_title_goes_out(rstore, decidim, connector):
    outbox = Outbox(rstore, [connector], clock=Clock())
    sub = make_idea(1, title="Bänke", text="Mehr Bänke im Paradiespark, bitte mit Lehne.")
    put(rstore, sub)
    outbox.enqueue([sub.id])
    assert outbox.run_once().needs_editing == 1
    (item,) = outbox.of(sub.id)
    assert item.state == "needs_editing" and "15 to 150" in item.last_error
    assert decidim.proposals == []  # nothing was sent, nothing was cut
    assert outbox.edit(sub.id, "decidim", title="Mehr Bänke im Paradiespark")
    assert outbox.run_once().published == 1
    assert decidim.proposals[0]["title"] == "Mehr Bänke im Paradiespark"


def test_a_validation_error_from_decidim_goes_to_staff(rstore, decidim, connector):
    outbox = Outbox(rstore, [connector], clock=Clock())
    sub = make_idea(1, title="MEHR RADWEGE SOFORT!!!", text="Die Radwege in Lobeda enden im Nichts.")
    put(rstore, sub)
    outbox.enqueue([sub.id])
    assert outbox.run_once().needs_editing == 1
    assert "too many capital letters" in outbox.of(sub.id)[0].last_error


def test_slow_failing_and_expired_answers_are_retried(rstore, decidim, connector):
    clock = Clock()
    outbox = Outbox(rstore, [connector], clock=clock, rng=lambda: 0.0)
    slow, failing = (make_idea(i, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
                     for i in (1, 2))
    for sub in (slow, failing):
        put(rstore, sub)
    outbox.enqueue([slow.id])
    decidim.delay_s = 1.5
    started = time.monotonic()
    assert outbox.run_once().retried == 1 and time.monotonic() - started < 1.5
    assert "timed out" in outbox.of(slow.id)[0].last_error
    decidim.delay_s = 0.0
    time.sleep(1.0)  # Decidim finishes the slow request after all; the retry comes later (backoff)
    clock.now += 3600
    assert outbox.run_once().published == 1
    assert len(decidim.proposals) == 1  # the slow attempt's proposal was found, not made twice
    assert outbox.of(slow.id)[0].remote_id == decidim.proposals[0]["id"]

    outbox.enqueue([failing.id])
    decidim.fail_next = 1
    assert outbox.run_once().retried == 1 and "500" in outbox.of(failing.id)[0].last_error
    decidim.tokens.clear()  # the token expired: one new sign-in, then on
    sign_ins = decidim.sign_ins
    clock.now += 3600
    assert outbox.run_once().published == 1
    assert decidim.sign_ins == sign_ins + 1 and len(decidim.proposals) == 2


def test_a_lost_answer_does_not_make_a_second_proposal(rstore, decidim, connector):
    outbox = Outbox(rstore, [connector], clock=Clock(), rng=lambda: 0.0)
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put(rstore, sub)
    outbox.enqueue([sub.id])
    decidim.drop_answer_once = True
    assert outbox.run_once().retried == 1 and len(decidim.proposals) == 1
    outbox.clock.now += 3600
    assert outbox.run_once().published == 1
    assert len(decidim.proposals) == 1
    assert outbox.of(sub.id)[0].remote_id == decidim.proposals[0]["id"]


def test_wrong_credentials_fail_with_a_message_that_holds_no_secret(rstore, decidim, tmp_path):
    key = read_secret(write_secret(tmp_path / "k", "wrong-key-1111"), "key_file", tmp_path)
    secret = read_secret(write_secret(tmp_path / "s", "wrong-secret-2222"), "secret_file", tmp_path)
    outbox = Outbox(rstore, [DecidimConnector(decidim.url + "/api", "12", key, secret, URL)], clock=Clock())
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put(rstore, sub)
    outbox.enqueue([sub.id])
    assert outbox.run_once().failed == 1
    error = outbox.of(sub.id)[0].last_error
    assert "refused the API user's key and secret" in error and "wrong-" not in error


def test_an_attempt_cut_off_by_a_crash_is_looked_up_not_repeated(rstore, decidim, connector):
    sub = make_idea(1, title="Trinkbrunnen am Holzmarkt", text="Im Sommer fehlt Wasser für alle.")
    put(rstore, sub)
    first = Outbox(rstore, [connector], clock=Clock())
    first.enqueue([sub.id])
    (claimed,) = first._claim(1)  # the row is 'sending', Decidim makes the proposal, the receiver dies
    assert first._deliver(claimed).state == "published" and len(decidim.proposals) == 1
    second = Outbox(rstore, [connector], clock=Clock())  # the next start
    assert second.recover() == 1 and second.of(sub.id)[0].attempts == 1
    assert second.run_once().published == 1
    assert len(decidim.proposals) == 1 and second.of(sub.id)[0].remote_id == decidim.proposals[0]["id"]
