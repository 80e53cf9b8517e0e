"""The outbox's staff pages and CONSUL's re-entry list, on a real receiver with a signed-in staff member."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
import requests

from kiosk.core.model import new_status_token
from sync.receiver import ReceiverSettings, ReceiverThread
from sync.receiver.web.accounts import add_account
from sync.receiver.web.sessions import SessionSettings
from tests.sync.receiver.publish.standin_decidim import FAKE_KEY, FAKE_SECRET, DecidimStandIn
from tests.sync.receiver.publish.standins import receiver_toml, write_secret
from tests.sync.receiver.web_helpers import STAFF, STAFF_PASSWORD, csrf_of, idea, put, sign_in


@pytest.fixture
def setup(tmp_path):
    data = tmp_path / "r"
    data.mkdir()
    add_account(data, STAFF, "staff", STAFF_PASSWORD)
    write_secret(data / "decidim.key", FAKE_KEY)
    write_secret(data / "decidim.secret", FAKE_SECRET)
    subs = [idea(1, title="Trinkbrunnen am Holzmarkt", text="=HYPERLINK(\"x\") Wasser für alle im Sommer",
                 district="Lobeda", status_token=new_status_token()),
            idea(2, title="Bänke", text="Mehr Bänke im Paradiespark, bitte mit Lehne.", status_token=new_status_token()),
            idea(3, title="Schatten am Holzmarkt", text="Bäume!", status_token=new_status_token())]
    from sync.receiver.storage import ReceiverStore
    store = ReceiverStore(data)
    for s in subs:
        put(store, s)
    store.close()
    with DecidimStandIn() as decidim:
        receiver_toml(data, f"""[publish]\ninterval_s = 0.2
[connectors.consul_list]\nenabled = true\nproposal_url = "https://mitmachen.example.org/proposals/{{id}}"
[connectors.decidim]\nenabled = true\napi_url = "{decidim.url}/api"\ncomponent_id = "12"
key_file = "decidim.key"\nsecret_file = "decidim.secret"
proposal_url = "https://decidim.example.org/processes/smart-city/f/12/proposals/{{id}}"
""")
        with ReceiverThread(ReceiverSettings(data, sessions=SessionSettings(secure_cookie=False))) as r:
            yield r, subs, decidim


def wait_for(check, timeout=10.0):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_staff_work_the_outbox_and_the_consul_list(setup):
    r, (fits, short, _), decidim = setup
    assert requests.get(r.url + "/staff/outbox", timeout=5, allow_redirects=False).status_code == 303  # sign in first
    r.app.state.moderation.decide([fits.id, short.id], "approved", actor="ben")
    outbox = r.app.state.outbox
    assert wait_for(lambda: {(i.submission_id, i.connector): i.state for i in outbox.items()} == {
        (fits.id, "decidim"): "published", (short.id, "decidim"): "needs_editing",
        (fits.id, "consul_list"): "pending", (short.id, "consul_list"): "pending"})
    staff = sign_in(r.url, STAFF, STAFF_PASSWORD)

    page = staff.get(r.url + "/staff/outbox", timeout=5)
    assert 'lang="de"' in page.text and "muss bearbeitet werden" in page.text and "veröffentlicht" in page.text
    assert "the title has 5 characters" in page.text
    csrf = csrf_of(page.text)
    assert staff.post(f"{r.url}/staff/outbox/{short.id}/decidim/edit", timeout=5,
                      data={"title": "Mehr Bänke im Paradiespark"}).status_code == 403  # no CSRF token
    staff.post(f"{r.url}/staff/outbox/{short.id}/decidim/edit", data={"title": "Mehr Bänke im Paradiespark",
                                                                      "csrf": csrf}, timeout=5)
    assert wait_for(lambda: [i.state for i in outbox.of(short.id) if i.connector == "decidim"] == ["published"])
    assert decidim.proposals[-1]["title"] == "Mehr Bänke im Paradiespark"

    listing = staff.get(r.url + "/staff/outbox/consul?lang=en", timeout=5).text
    assert "Re-entry list for CONSUL" in listing and fits.reference_code in listing
    assert "Wasser für alle im Sommer" in listing and "Lobeda" not in listing  # district not published by default
    rows = list(csv.DictReader(io.StringIO(staff.get(r.url + "/staff/outbox/consul.csv", timeout=5).text.lstrip("\ufeff"))))
    assert sorted(row["reference_code"] for row in rows) == sorted([fits.reference_code, short.reference_code])
    first = next(row for row in rows if row["reference_code"] == fits.reference_code)
    assert first["text"].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it
    assert first["tag"] == fits.topic_id  # no kiosk.toml given to this receiver: the id stands for the title

    staff.post(f"{r.url}/staff/outbox/{fits.id}/consul_list/entered", data={"proposal": "4711", "csrf": csrf},
               timeout=5)
    status = requests.get(f"{r.url}/s/{fits.status_token}", timeout=5).text
    assert "Veröffentlicht" in status
    assert 'href="https://mitmachen.example.org/proposals/4711"' in status
    assert 'href="https://decidim.example.org/processes/smart-city/f/12/proposals/100"' in status


def decidim_row(outbox, submission_id):  # noqa: ANN001, ANN201
    return next(i for i in outbox.of(submission_id) if i.connector == "decidim")


def test_staff_edit_title_and_text_for_the_platform_with_messages_and_an_audit_entry(setup):
    r, (_, short_title, short_text), decidim = setup
    outbox = r.app.state.outbox
    r.app.state.moderation.decide([short_title.id, short_text.id], "approved", actor="ben")
    assert wait_for(lambda: sorted(i.state for i in outbox.items() if i.connector == "decidim")
                    == ["needs_editing", "needs_editing"])
    staff = sign_in(r.url, STAFF, STAFF_PASSWORD)
    overview = staff.get(r.url + "/staff/outbox", timeout=5).text
    edit_url = f"{r.url}/staff/outbox/{short_text.id}/decidim/edit"
    assert f'href="/staff/outbox/{short_text.id}/decidim/edit?lang=de">Bearbeiten</a>' in overview
    assert requests.get(edit_url, timeout=5, allow_redirects=False).status_code == 303  # signed in only

    form = staff.get(edit_url, timeout=5)
    assert form.status_code == 200 and 'lang="de"' in form.text
    assert "the text has 6 characters; Decidim needs at least 15" in form.text  # why it waits
    assert "Decidim nimmt einen Titel mit 15 bis 150 Zeichen" in form.text
    assert '<textarea id="edit-body" name="body"' in form.text and "<bdi>Bäume!</bdi>" in form.text
    csrf = csrf_of(form.text)
    assert staff.post(edit_url, data={"title": "Schatten am Holzmarkt", "body": "Mehr Bäume, bitte."},
                      timeout=5).status_code == 403  # no CSRF token: nothing changes
    assert decidim_row(outbox, short_text.id).edits is None

    refused = staff.post(edit_url, data={"title": "Kurz", "body": "Bäume! Bitte.", "csrf": csrf}, timeout=5)
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert "Der Titel hat 4 Zeichen; die Plattform nimmt 15 bis 150." in refused.text
    assert "Der Text hat 13 Zeichen; die Plattform braucht mindestens 15." in refused.text
    assert "Bäume! Bitte.</textarea>" in refused.text  # what staff typed is kept
    english = staff.post(edit_url + "?lang=en", data={"title": "Schatten am Holzmarkt", "body": "Bäume!",
                                                     "csrf": csrf}, timeout=5)
    assert english.status_code == 422 and "Change the title or the text first" in english.text  # nothing changed
    assert decidim_row(outbox, short_text.id).state == "needs_editing" and decidim.proposals == []

    body = "Bäume! Mehr Schatten am Holzmarkt, damit man im Sommer dort sitzen kann."
    done = staff.post(edit_url, data={"title": "Schatten am Holzmarkt", "body": body, "csrf": csrf}, timeout=5,
                      allow_redirects=False)
    assert done.status_code == 303
    assert wait_for(lambda: decidim_row(outbox, short_text.id).state == "published")
    (proposal,) = decidim.proposals
    assert proposal["title"] == "Schatten am Holzmarkt" and proposal["body"].startswith(body + "\n\nKiosk-Nr. ")
    stored = json.loads(r.app.state.outbox.store.get(short_text.id).canonical)
    assert stored["text"] == "Bäume!"  # the visitor's own words are never changed

    again = staff.post(edit_url, data={"title": "Schatten am Holzmarkt", "body": body + " Noch mehr.", "csrf": csrf},
                       timeout=5)
    assert again.status_code == 409 and "wartet nicht mehr" in again.text  # published: nothing to edit

    item = staff.get(f"{r.url}/staff/items/{short_text.id}", timeout=5).text.split('id="audit"')[1]
    assert "Für decidim bearbeitet: Titel 21 → 21 Zeichen, Text 6 → 72" in item and "<td>ben</td>" in item
    assert body not in item  # the audit keeps lengths, not the text
    (record,) = outbox.edit_history(short_text.id)
    assert (record.actor, record.connector, record.body_before, record.body_after) == ("ben", "decidim", 6, len(body))
