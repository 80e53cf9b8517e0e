"""The staff app's item page names the platform's proposal an idea is about ("Bezug: <title>",
a link), over real HTTP on 127.0.0.1; the status token stays the visitor's secret."""

from __future__ import annotations

import pytest

from kiosk.core.model import PlatformItemRef, new_status_token
from sync.receiver import ReceiverSettings, ReceiverThread
from sync.receiver.web.accounts import add_account
from sync.receiver.web.pages import LANG_COOKIE
from sync.receiver.web.sessions import SessionSettings

from web_helpers import STAFF, STAFF_PASSWORD, idea, seed, sign_in

REF = PlatformItemRef("proposal", "142", "https://mitmachen.example.org/proposals/142",
                      "<b>Mehr</b> Bänke \u202eam Holzmarkt")


@pytest.fixture
def site(tmp_path):
    add_account(tmp_path, STAFF, "staff", STAFF_PASSWORD)
    with_ref = idea(1, platform_item=REF, status_token=new_status_token())
    without = idea(2)
    seed(tmp_path, [with_ref, without])
    with ReceiverThread(ReceiverSettings(tmp_path, sessions=SessionSettings(secure_cookie=False))) as r:
        staff = sign_in(r.url, STAFF, STAFF_PASSWORD)
        yield r, staff, with_ref, without
        staff.close()


def test_the_item_page_links_to_the_proposal(site):
    r, staff, with_ref, without = site
    html = staff.get(f"{r.url}/staff/items/{with_ref.id}", timeout=10).text
    assert "Bezug (auf der Plattform)" in html
    line = html.split('id="field-platform_item"')[1].split("</dd>")[0]
    assert '<a href="https://mitmachen.example.org/proposals/142" rel="noopener noreferrer">' in line
    assert "&lt;b&gt;Mehr&lt;/b&gt; Bänke" in line and "<b>" not in line  # escaped, never markup
    assert "\u202e" not in line and "<bdi" in line  # balanced and isolated, as visitor text
    assert with_ref.status_token not in html  # the visitor's secret is not staff's to see
    staff.cookies.set(LANG_COOKIE, "en")
    english = staff.get(f"{r.url}/staff/items/{with_ref.id}", timeout=10).text
    assert "About (on the platform)" in english and "Bezug" not in english
    plain = staff.get(f"{r.url}/staff/items/{without.id}", timeout=10).text
    assert 'id="field-platform_item"' not in plain
