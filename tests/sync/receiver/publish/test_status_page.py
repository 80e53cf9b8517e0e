"""The visitor's status page /s/<token> on a real receiver on 127.0.0.1, fed by the real sync client."""

from __future__ import annotations


import pytest
import requests

from kiosk.core.model import new_status_token
from kiosk.core.reconcile import ReceiverClient, reconcile
from sync.receiver.publish.status import (APPROVED, NOT_ARRIVED, NOT_PUBLISHED, PUBLISHED, RECEIVED, Publication,
                                          StatusView, pick_language, status_view)
from sync.client import SyncClient
from tests.sync_helpers import make_idea, old_receiver



def page(receiver, token: str, **headers: str) -> requests.Response:
    return requests.get(f"{receiver.url}/s/{token}", headers=headers, timeout=5)


def test_the_page_follows_an_idea_from_the_kiosk_to_the_receiver(store, receiver, make_client):
    token = new_status_token()
    sub = make_idea(text="Mehr Bänke am Holzmarkt", author_name="Jürgen Beispiel", district="Lobeda",
                    status_token=token)
    store.add(sub)
    before = page(receiver, token)
    assert before.status_code == 200
    assert "Noch nicht angekommen" in before.text and 'lang="de"' in before.text  # German by default
    assert sub.reference_code not in before.text  # nothing to see before it arrived

    assert make_client().sync_pending().done == 1
    after = page(receiver, token)
    assert "Angekommen – wird geprüft" in after.text
    assert sub.reference_code in after.text
    for private in ("Mehr Bänke", "Jürgen", "Lobeda", sub.id):  # no text before approval, never personal data
        assert private not in after.text
    assert after.headers["Cache-Control"] == "no-store"
    assert after.headers["Referrer-Policy"] == "no-referrer"  # the token never leaves in a Referer

    english = page(receiver, token, **{"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert "Received – being reviewed" in english.text and 'lang="en"' in english.text
    assert 'href="?lang=de"' in english.text  # the switch back
    assert "Angekommen" in requests.get(f"{receiver.url}/s/{token}?lang=de", timeout=5,
                                        headers={"Accept-Language": "en"}).text


def test_an_unknown_or_malformed_token_looks_like_one_not_yet_arrived(store, receiver, make_client):
    store.add(make_idea(status_token=new_status_token()))
    make_client().sync_pending()
    for token in (new_status_token(), "short", "AC3H7K", "x" * 300, "%2e%2e%2fetc"):
        r = page(receiver, token)
        assert r.status_code in (200, 404)
        if r.status_code == 200:
            assert "Noch nicht angekommen" in r.text


def test_the_page_is_rate_limited_per_client(receiver):
    token = new_status_token()
    codes = [page(receiver, token, **{"X-Forwarded-For": "203.0.113.7"}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429
    limited = page(receiver, token, **{"X-Forwarded-For": "203.0.113.7", "Accept-Language": "en"})
    assert "Too many requests" in limited.text and int(limited.headers["Retry-After"]) >= 1
    assert page(receiver, token, **{"X-Forwarded-For": "203.0.113.8"}).status_code == 200  # another visitor


class _D:
    def __init__(self, state: str, reason: str | None = None) -> None:
        self.state, self.reason = state, reason


@pytest.mark.parametrize(("arrived", "decision", "pubs", "expected"), [
    (False, None, (), StatusView(NOT_ARRIVED)),
    (True, None, (), StatusView(RECEIVED)),
    (True, _D("received"), (), StatusView(RECEIVED)),
    (True, _D("approved"), (), StatusView(APPROVED, show_content=True)),
    (True, _D("approved"), (Publication("decidim", "failed"), Publication("webhook", "published")),
     StatusView(APPROVED, show_content=True)),  # a webhook has no public page: nothing to link
    (True, _D("approved"), (Publication("decidim", "published", "https://decidim.example/proposals/7"),),
     StatusView(PUBLISHED, links=("https://decidim.example/proposals/7",), show_content=True)),
    (True, _D("approved"), (Publication("x", "published", "javascript:alert(1)"),),
     StatusView(APPROVED, show_content=True)),
    (True, _D("withheld", "personal_data"), (), StatusView(NOT_PUBLISHED, reason="personal_data")),
    (True, _D("deleted", "made up by staff"), (), StatusView(NOT_PUBLISHED, reason="other")),
])
def test_what_the_page_says(arrived, decision, pubs, expected):
    assert status_view(arrived, decision, pubs) == expected


@pytest.mark.parametrize(("query", "header", "lang"), [
    (None, None, "de"), (None, "en-US,en;q=0.8", "en"), (None, "fr, en;q=0.3, de;q=0.5", "de"),
    ("en", "de", "en"), ("xx", "en", "en"), (None, "en;q=garbage, de", "de"),
])
def test_the_language(query, header, lang):
    assert pick_language(query, header) == lang


def test_visitors_text_cannot_reorder_the_page(receiver):
    pages = receiver.app.state.status_pages
    html = pages.render(StatusView(APPROVED, show_content=True),
                        {"title": "\u202eabc", "text": "<script>x</script> \u2067open", "reference_code": "AC3H7K"}, "de")
    assert "<bdi>abc</bdi>" in html  # an open override never leaves its isolate (balanced away)
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert not any(c in html for c in "\u202e\u2067")


OLD_RECEIVER = "e3e7d7d"
"""main before the status pages: its receiver refuses any field it does not know."""


def test_a_receiver_of_before_the_status_pages_still_takes_everything(tmp_path, store, kiosk_id):
    with old_receiver(OLD_RECEIVER, tmp_path, kiosk_id) as (url, token, health):
        assert "optional_fields" not in health  # it is the old one
        subs = [make_idea(i, status_token=new_status_token()) for i in range(3)] + [make_idea(9)]
        for sub in subs:
            store.add(sub)
        client = SyncClient(store, endpoint=url + "/api/v1", token=token)
        report = client.sync_pending()
        client.close()
        assert report.done == 4 and not report.failed
        result = reconcile(store, ReceiverClient(url + "/api/v1", token).receipt)
        assert result.mismatches == [] and result.verified == 4


def test_the_page_follows_staff_decisions(store, receiver, make_client):
    subs = [make_idea(i, text=f"Idee {i}: Trinkbrunnen am Markt", author_name="Jürgen Beispiel",
                      status_token=new_status_token()) for i in range(3)]
    for sub in subs:
        store.add(sub)
    make_client().sync_pending()
    moderation = receiver.app.state.moderation
    approved, withheld, deleted = subs

    moderation.decide([approved.id], "approved", actor="anna")
    shown = page(receiver, approved.status_token).text
    assert "Freigegeben – wird veröffentlicht" in shown and "Idee 0: Trinkbrunnen am Markt" in shown
    assert "Jürgen" not in shown  # the name is published on the platform, not on this page

    moderation.decide([withheld.id], "withheld", actor="anna", reason="personal_data",
                      note="Telefonnummer von Herrn Beispiel im Text")
    refused = page(receiver, withheld.status_token, **{"Accept-Language": "en"}).text
    assert "Not published" in refused and "contains personal data" in refused
    assert "Telefonnummer" not in refused and "Trinkbrunnen" not in refused  # never staff's note, never the text

    moderation.decide([deleted.id], "deleted", actor="anna", reason="insulting")
    gone = page(receiver, deleted.status_token)
    assert gone.status_code == 200 and "Nicht veröffentlicht" in gone.text and "beleidigend" in gone.text
    assert deleted.reference_code not in gone.text  # a tombstone keeps nothing to show


def test_a_drawing_is_public_only_while_it_is_approved(receiver, api):
    from tests.sync_helpers import make_drawing

    sub = make_drawing(1)
    for blob in sub.blobs:
        api.put(f"{api.base}/blobs/{blob.sha256}", data=blob.data, timeout=5)
    assert api.put(f"{api.base}/submissions/{sub.id}", data=sub.canonical_json(), timeout=5).status_code == 201
    png = sub.blob("png")
    url = f"{receiver.url}/p/{png.sha256}"
    assert requests.get(url, timeout=5).status_code == 404  # not approved yet
    receiver.app.state.moderation.decide([sub.id], "approved", actor="anna")
    got = requests.get(url, timeout=5)
    assert got.status_code == 200 and got.content == png.data and got.headers["content-type"] == "image/png"
    assert requests.get(f"{receiver.url}/p/{sub.blob('strokes').sha256}", timeout=5).status_code == 404
    receiver.app.state.moderation.decide([sub.id], "withheld", actor="anna", reason="other")
    assert requests.get(url, timeout=5).status_code == 404
    assert requests.get(f"{receiver.url}/p/..%2f..%2fetc", timeout=5).status_code == 404
