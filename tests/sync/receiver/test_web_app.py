"""The staff web app over real HTTP on 127.0.0.1 (requests): sign-in, sessions, CSRF, roles,
browse, search, one item, moderation, terminals, export. The browser tests are in
tests/system/test_receiver_web.py."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from kiosk.core.export import CSV_DIALECT, verify_bundle
from sync.receiver import ReceiverSettings, ReceiverThread, add_token
from sync.receiver.login_limiter import LimiterSettings
from sync.receiver.web.accounts import add_account
from sync.receiver.web.sessions import COOKIE, SessionSettings

from web_helpers import (ADMIN, ADMIN_PASSWORD, STAFF, STAFF_PASSWORD, csrf_of, drawing, idea, seed, sign_in)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """A receiver data dir with two accounts, 120 ideas and 3 drawings (built once: argon2 is slow)."""
    d = tmp_path_factory.mktemp("web")
    add_account(d, ADMIN, "admin", ADMIN_PASSWORD)
    add_account(d, STAFF, "staff", STAFF_PASSWORD)
    ideas = [idea(i, created_at=f"2024-07-0{1 + i % 3}T{8 + i % 10:02d}:{i % 60:02d}:00.000Z") for i in range(120)]
    ideas.append(idea(500, text="שלום \u202eabc and a bench", title="\u2067RTL", created_at="2024-07-02T10:00:00.000Z"))
    ideas[7] = idea(7, created_at=ideas[7].created_at, status_token="fake-status-token-not-secret-00000")
    drawings = [drawing(i, created_at=f"2024-07-04T12:0{i}:00.000Z") for i in range(3)]
    seed(d, ideas + drawings)
    return d, ideas, drawings


@pytest.fixture
def web(content, tmp_path):
    """A fresh receiver over a copy of the content (each test may moderate)."""
    import shutil

    d = tmp_path / "r"
    shutil.copytree(content[0], d)
    settings = ReceiverSettings(d, sessions=SessionSettings(secure_cookie=False), timezone="Europe/Berlin",
                                login=LimiterSettings(free_failures=2, lockout_failures=4, base_delay_s=30))
    with ReceiverThread(settings) as r:
        r.data_dir = d
        yield r, content[1], content[2]


@pytest.fixture
def staff(web):
    s = sign_in(web[0].url, STAFF, STAFF_PASSWORD)
    yield s
    s.close()


def page_ids(html: str) -> list[str]:
    return re.findall(r'name="pick-[0-9a-f-]{36}" value="([0-9a-f-]{36})"', html)


# ---------------------------------------------------------------- sign-in, sessions, CSRF


def test_pages_need_sign_in_and_come_back_after_it(web):
    r, _, _ = web
    got = requests.get(r.url + "/staff/items?kind=idea", timeout=10, allow_redirects=False)
    assert got.status_code == 303 and got.headers["location"].startswith("/staff/login?next=")
    s = requests.Session()
    form = s.get(r.url + got.headers["location"], timeout=10)
    assert 'value="/staff/items?kind=idea"' in form.text
    after = s.post(r.url + "/staff/login", data={"name": STAFF, "password": STAFF_PASSWORD, "csrf": csrf_of(form.text),
                                                 "next": "/staff/items?kind=idea"}, timeout=30)
    assert after.url.endswith("/staff/items?kind=idea") and after.status_code == 200


def test_the_session_cookie_is_secure_httponly_strict_by_default(tmp_path):
    add_account(tmp_path, STAFF, "staff", STAFF_PASSWORD)
    with ReceiverThread(ReceiverSettings(tmp_path)) as r:
        s = requests.Session()
        form = s.get(r.url + "/staff/login", timeout=10)
        assert re.search(r"receiver_login=[^;]+;.*HttpOnly.*SameSite=strict.*Secure", form.headers["set-cookie"], re.I) \
            or {"httponly", "secure", "samesite=strict"} <= set(form.headers["set-cookie"].lower().replace(" ", "").split(";"))
        login_cookie = re.search(r"receiver_login=([^;]+)", form.headers["set-cookie"]).group(1)
        got = requests.post(r.url + "/staff/login", data={"name": STAFF, "password": STAFF_PASSWORD,
                                                          "csrf": csrf_of(form.text)},
                            headers={"Cookie": f"receiver_login={login_cookie}"}, timeout=30, allow_redirects=False)
    assert got.status_code == 303
    flags = {p.strip().lower() for p in got.headers["set-cookie"].split(",")[0].split(";")} | \
        {p.strip().lower() for p in got.headers["set-cookie"].split(";")}
    assert "httponly" in flags and "secure" in flags and "samesite=strict" in flags
    assert "Content-Security-Policy" in form.headers and "script-src 'self'" in form.headers["Content-Security-Policy"]


def test_wrong_passwords_are_refused_then_locked_out_without_hashing(web):
    r, _, _ = web
    s = requests.Session()
    form = s.get(r.url + "/staff/login", timeout=10)
    token = csrf_of(form.text)
    statuses = []
    for _ in range(4):
        got = s.post(r.url + "/staff/login", data={"name": STAFF, "password": "wrong-password!", "csrf": token},
                     timeout=30)
        statuses.append(got.status_code)
    assert statuses[:2] == [401, 401]
    assert 429 in statuses[2:]
    got = s.post(r.url + "/staff/login", data={"name": STAFF, "password": STAFF_PASSWORD, "csrf": token}, timeout=30)
    assert got.status_code == 429 and int(got.headers["Retry-After"]) > 0  # even the right one: wait
    assert "Zu viele falsche Passwörter" in got.text
    assert COOKIE not in s.cookies


def test_an_unknown_name_is_the_same_answer_as_a_wrong_password(web):
    r, _, _ = web
    s = requests.Session()
    form = s.get(r.url + "/staff/login", timeout=10)
    got = s.post(r.url + "/staff/login", data={"name": "nobody", "password": "whatever-it-is", "csrf": csrf_of(form.text)},
                 timeout=30)
    assert got.status_code == 401 and "Name oder Passwort ist falsch" in got.text


def test_login_without_its_form_token_is_refused(web):
    r, _, _ = web
    got = requests.post(r.url + "/staff/login", data={"name": STAFF, "password": STAFF_PASSWORD, "csrf": "forged"},
                        timeout=30)
    assert got.status_code == 400 and COOKIE not in got.cookies


def test_a_changing_form_without_the_csrf_token_changes_nothing(web, staff):
    r, ideas, _ = web
    for token in ("", "forged"):
        got = staff.post(r.url + f"/staff/items/{ideas[0].id}/decide", data={"state": "approved", "csrf": token},
                         timeout=10)
        assert got.status_code == 403
    assert "state-approved" not in staff.get(r.url + "/staff/items", timeout=10).text


def test_sign_out_ends_the_session(web, staff):
    r, _, _ = web
    html = staff.get(r.url + "/staff/overview", timeout=10).text
    old = staff.cookies[COOKIE]
    staff.post(r.url + "/staff/logout", data={"csrf": csrf_of(html)}, timeout=10)
    back = requests.get(r.url + "/staff/overview", cookies={COOKIE: old}, timeout=10, allow_redirects=False)
    assert back.status_code == 303 and "/staff/login" in back.headers["location"]


def test_a_session_expires_when_idle(content, tmp_path):
    import shutil
    import time

    d = tmp_path / "r"
    shutil.copytree(content[0], d)
    with ReceiverThread(ReceiverSettings(d, sessions=SessionSettings(idle_s=1.0, secure_cookie=False))) as r:
        s = sign_in(r.url, STAFF, STAFF_PASSWORD)
        assert s.get(r.url + "/staff/overview", timeout=10, allow_redirects=False).status_code == 200
        time.sleep(1.5)
        assert s.get(r.url + "/staff/overview", timeout=10, allow_redirects=False).status_code == 303


def test_roles_staff_cannot_open_the_accounts_page(web, staff):
    r, _, _ = web
    assert staff.get(r.url + "/staff/accounts", timeout=10, allow_redirects=False).status_code == 303
    admin = sign_in(r.url, ADMIN, ADMIN_PASSWORD)
    page = admin.get(r.url + "/staff/accounts", timeout=10)
    assert page.status_code == 200 and ">ben<" in page.text and "argon2" not in page.text


def test_add_user_on_the_command_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "kiosk", "receiver", "add-user", "carla", "--role", "staff",
                          "--data-dir", str(tmp_path), "--stdin"], input="carla-long-password\n", text=True,
                         capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "staff-accounts.txt").read_text().count("carla staff $argon2") == 1
    assert oct((tmp_path / "staff-accounts.txt").stat().st_mode)[-3:] == "600"
    bad = subprocess.run([sys.executable, "-m", "kiosk", "receiver", "add-user", "Carla!", "--role", "staff",
                          "--data-dir", str(tmp_path), "--stdin"], input="x\n", text=True, capture_output=True,
                         timeout=60)
    assert bad.returncode == 2 and "account name" in bad.stderr and "Traceback" not in bad.stderr
    with ReceiverThread(ReceiverSettings(tmp_path, sessions=SessionSettings(secure_cookie=False))) as r:
        sign_in(r.url, "carla", "carla-long-password")


# ---------------------------------------------------------------- German, English


def test_german_by_default_english_on_the_switch_with_local_times_and_german_numbers(web, staff):
    r, _, _ = web
    html = staff.get(r.url + "/staff/overview", timeout=10).text
    assert '<html lang="de">' in html and "Übersicht" in html and "124 Beiträge" in html
    items = staff.get(r.url + "/staff/items?terminal=kiosk-1&kind=drawing", timeout=10).text
    assert "04.07.2024, 14:02" in items  # 12:02 UTC is 14:02 in Berlin in summer
    staff.get(r.url + "/staff/lang/en?next=/staff/overview", timeout=10)
    html = staff.get(r.url + "/staff/overview", timeout=10).text
    assert '<html lang="en">' in html and "Overview" in html and "124 contributions" in html


def test_the_catalogues_are_complete_and_every_key_used_exists():
    from kiosk.core import catalogue
    from sync.receiver.web.text import LOCALE_DIR, TEMPLATE

    template = catalogue.read(TEMPLATE)
    for lang in ("de", "en"):
        assert catalogue.problems(catalogue.read(LOCALE_DIR / f"{lang}.po"), template) == []
    web_dir = REPO / "sync" / "receiver" / "web"
    used = set()
    for f in [*web_dir.glob("templates/*.html"), web_dir / "pages.py", web_dir / "rows.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+|yes|no)["']""", f.read_text()))
        used |= set(re.findall(r"""text\.t\(lang, ["']([a-z_.]+)["']""", f.read_text()))
        used |= set(re.findall(r"""catalogues\.text\(["']([a-z_.]+)["']""", f.read_text()))
    assert {"browse.select_one", "kind.drawing"} <= used  # the rows built in Python are read too
    missing = used - set(template.sources)
    assert not missing
    from sync.receiver.moderation import REASONS, STATES
    from sync.receiver.web.pages import FIELD_ORDER

    dynamic = {f"state.{s}" for s in STATES} | {f"reason.{r}" for r in REASONS} | {f"field.{k}" for k in FIELD_ORDER}
    assert dynamic <= set(template.sources)


# ---------------------------------------------------------------- browse, search, item


def test_browse_pages_newest_first_with_keyset_pages(web, staff):
    r, ideas, drawings = web
    first = staff.get(r.url + "/staff/items", timeout=10).text
    ids = page_ids(first)
    assert len(ids) == 50 and ids[:3] == [d.id for d in sorted(drawings, key=lambda d: d.created_at, reverse=True)]
    older = re.search(r'id="page-older" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = staff.get(r.url + older, timeout=10).text
    ids2 = page_ids(second)
    assert len(ids2) == 50 and not set(ids) & set(ids2)
    newer = re.search(r'id="page-newer" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert page_ids(staff.get(r.url + newer, timeout=10).text) == ids
    seen = set(ids) | set(ids2)
    third = staff.get(r.url + re.search(r'id="page-older" href="([^"]+)"', second).group(1).replace("&amp;", "&"),
                      timeout=10).text
    seen |= set(page_ids(third))
    assert len(seen) == 124 and 'id="page-older"' not in third


@pytest.mark.parametrize("query, expect", [
    ("kind=drawing", lambda s: s.kind == "drawing"),
    ("terminal=kiosk-2", lambda s: s.kiosk_id == "kiosk-2"),
    ("topic=green", lambda s: s.topic_id == "green"),
    ("event=fest-2024&kind=idea&from=2024-07-02&to=2024-07-02", lambda s: s.kind == "idea" and "07-02T" in s.created_at),
    ("kind=idea&from=02.07.2024&to=+2.7.2024+", lambda s: s.kind == "idea" and "07-02T" in s.created_at),
    ("q=Nummer+17", lambda s: s.kind == "idea" and s.text.endswith("Nummer 17")),
    ("q=banke", lambda s: "Bänke" in s.text),  # diacritics folded
])
def test_filters_and_full_text_search(web, staff, query, expect):
    r, ideas, drawings = web
    everything = ideas + drawings
    got: set[str] = set()
    url = f"/staff/items?{query}"
    while url:
        html = staff.get(r.url + url, timeout=10).text
        got |= set(page_ids(html))
        m = re.search(r'id="page-older" href="([^"]+)"', html)
        url = m.group(1).replace("&amp;", "&") if m else ""
    assert got == {s.id for s in everything if expect(s)}
    assert got


def test_the_date_fields_show_and_take_german_days(web, staff):
    """Text fields, not type=date (whose format is the browser's, whatever the page's language)."""
    r, _, _ = web
    for lang in ("de", "en"):
        staff.cookies.set("receiver_lang", lang)
        html = staff.get(r.url + "/staff/items?from=2024-07-02&to=03.07.2024", timeout=10).text
        assert 'id="f-from" name="from" type="text"' in html and 'value="02.07.2024"' in html
        assert 'value="03.07.2024"' in html and ("TT.MM.JJJJ" if lang == "de" else "DD.MM.YYYY") in html
        assert "day_from=2024-07-02&amp;day_to=2024-07-03" in html  # the links carry ISO days
    staff.cookies.set("receiver_lang", "de")


def test_garbage_filters_and_cursors_are_dropped_not_errors(web, staff):
    r, _, _ = web
    for q in ("kind=<script>", "after=x~y", "before=2024-07-01T00:00:00Z~../../etc", "from=31.02.2024",
              "q=%22%2A%28OR", "state=eaten", "q=" + "x" * 5000):
        got = staff.get(r.url + "/staff/items?" + q, timeout=10)
        assert got.status_code == 200 and "<script>" not in got.text.split("</header>")[1], q


def test_visitor_text_is_isolated_and_balanced(web, staff):
    r, ideas, _ = web
    html = staff.get(r.url + "/staff/items?q=bench", timeout=10).text
    assert '<bdi dir="auto">שלום abc and a bench</bdi>' in html  # the unpaired RLO removed
    assert "\u202e" not in html and "\u2067" not in html
    item = staff.get(r.url + f"/staff/items/{ideas[-1].id}", timeout=10).text
    assert '<bdi dir="auto">RTL</bdi>' in item


def test_one_item_shows_every_field_and_the_drawing(web, staff):
    r, ideas, drawings = web
    html = staff.get(r.url + f"/staff/items/{ideas[3].id}", timeout=10).text
    for key in ("reference_code", "title", "text", "consent_version", "created_at", "kiosk_id", "event_id", "app_version"):
        assert f'id="field-{key}"' in html, key
    assert ideas[3].reference_code in html and "Mehr Bänke am Marktplatz, Nummer 3" in html
    # The status token opens the visitor's status page: it is the visitor's, never shown to staff.
    with_token = next(i for i in ideas if i.status_token)
    html = staff.get(r.url + f"/staff/items/{with_token.id}", timeout=10).text
    assert with_token.reference_code in html and with_token.status_token not in html and "status_token" not in html
    d = drawings[0]
    html = staff.get(r.url + f"/staff/items/{d.id}", timeout=10).text
    assert f'src="/staff/items/{d.id}/drawing.png"' in html and 'id="replay"' in html
    png = staff.get(r.url + f"/staff/items/{d.id}/drawing.png", timeout=10)
    assert png.headers["content-type"] == "image/png" and png.content == d.blob("png").data
    strokes = staff.get(r.url + f"/staff/items/{d.id}/strokes.json", timeout=10).json()
    assert strokes["format"] == "kiosk-drawing" and len(strokes["items"]) == 3
    assert requests.get(r.url + f"/staff/items/{d.id}/drawing.png", timeout=10, allow_redirects=False).status_code == 303
    assert staff.get(r.url + "/staff/items/not-an-id", timeout=10).status_code == 404


# ---------------------------------------------------------------- moderation


def test_moderate_one_item_and_see_the_audit_trail(web, staff):
    r, ideas, _ = web
    url = r.url + f"/staff/items/{ideas[5].id}"
    token = csrf_of(staff.get(url, timeout=10).text)
    refused = staff.post(url + "/decide", data={"csrf": token, "state": "withheld"}, timeout=10)
    assert refused.status_code == 422 and "Grund" in refused.text
    done = staff.post(url + "/decide", data={"csrf": token, "state": "withheld", "reason": "personal_data",
                                             "note": "Telefonnummer im Text"}, timeout=10)
    assert done.status_code == 200 and 'id="item-state">zurückgehalten' in done.text
    audit = done.text.split('id="audit"')[1]
    assert "ben" in audit and "persönliche Daten" in audit and "Telefonnummer im Text" in audit
    listed = staff.get(r.url + "/staff/items?state=withheld", timeout=10).text
    assert page_ids(listed) == [ideas[5].id]


def test_bulk_moderation_and_delete_with_a_tombstone(web, staff):
    r, ideas, drawings = web
    html = staff.get(r.url + "/staff/items?kind=drawing", timeout=10).text
    ids = page_ids(html)
    form = {"csrf": csrf_of(html), **{f"pick-{i}": i for i in ids}, "state": "deleted", "reason": "personal_data",
            "back": "/staff/items?kind=drawing"}
    assert staff.post(r.url + "/staff/decide", data=form, timeout=10).status_code == 422  # not confirmed
    done = staff.post(r.url + "/staff/decide", data=form | {"confirm": "yes"}, timeout=10)
    assert done.status_code == 200 and 'id="bulk-notice"' in done.text
    assert page_ids(done.text) == [], (ids, done.url)
    assert set(page_ids(staff.get(r.url + "/staff/items?state=deleted", timeout=10).text)) == set(ids)
    assert staff.get(r.url + f"/staff/items/{drawings[0].id}/drawing.png", timeout=10).status_code == 404
    tomb = staff.get(r.url + f"/staff/items/{drawings[0].id}", timeout=10).text
    assert "Grabstein" in tomb and "personal" not in tomb.split('id="audit"')[0].split("</h1>")[1][:0]
    approve = {"csrf": form["csrf"], **{f"pick-{i.id}": i.id for i in ideas[:10]}, "state": "approved"}
    staff.post(r.url + "/staff/decide", data=approve, timeout=10)
    assert len(page_ids(staff.get(r.url + "/staff/items?state=approved", timeout=10).text)) == 10


# ---------------------------------------------------------------- terminals and heartbeats


def test_heartbeat_then_terminals_page_marks_quiet_and_skewed(web, staff):
    r, _, _ = web
    with sqlite3.connect(r.data_dir / "receiver.sqlite3") as db:  # kiosk-2 last delivered long ago
        db.execute("UPDATE submissions SET received_at = '2024-07-03T18:00:00.000Z' WHERE delivered_by = 'kiosk-2'")
    token = add_token(r.data_dir, "kiosk-1")
    beat = {"sent_at": "2099-01-01T00:00:00Z", "app_version": "1.2.3", "pending": 4, "failed": 1,
            "free_disk_bytes": 12_345_678_901, "last_activity": "2024-07-03T12:00:00Z", "reason": "pass"}
    got = requests.post(r.url + "/api/v1/heartbeat", json=beat, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert got.status_code == 200 and got.json()["clock_skew_s"] > 1e9
    html = staff.get(r.url + "/staff/terminals", timeout=10).text
    row = html.split('id="terminal-kiosk-1"')[1].split("</tr>")[0]
    assert "Uhr falsch" in row and "12,3 GB" in row and "1.2.3" in row and ">4<" in row
    row2 = html.split('id="terminal-kiosk-2"')[1].split("</tr>")[0]
    assert "still" in row2 and "sendet keinen Herzschlag" in row2  # delivered in 2024, never a heartbeat


@pytest.mark.parametrize("body, field", [
    ({"sent_at": "yesterday"}, "sent_at"), ({"sent_at": "2024-07-01T00:00:00Z", "pending": -1}, "pending"),
    ({"sent_at": "2024-07-01T00:00:00Z", "kiosk_id": "kiosk-9"}, "kiosk_id"), ([], "(body)"),
    ({"sent_at": "2024-07-01T00:00:00Z", "app_version": "<b>"}, "app_version"),
])
def test_a_bad_heartbeat_is_a_422_naming_the_field(web, body, field):
    r, _, _ = web
    token = add_token(r.data_dir, "kiosk-1")
    got = requests.post(r.url + "/api/v1/heartbeat", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert got.status_code == 422 and got.json()["field"] == field
    assert requests.post(r.url + "/api/v1/heartbeat", json=body, timeout=10).status_code == 401


# ---------------------------------------------------------------- export


def test_export_of_the_selection_is_a_bundle_verify_accepts(web, staff, tmp_path):
    r, ideas, drawings = web
    got = staff.get(r.url + "/staff/export/bundle.zip?terminal=kiosk-1", timeout=60)
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    path = tmp_path / "selection.zip"
    path.write_bytes(got.content)
    report = verify_bundle(path)
    assert report.ok, report.problems
    expected = [s for s in ideas + drawings if s.kiosk_id == "kiosk-1"]
    assert report.counts["submissions"] == len(expected) and report.counts["drawings"] == 3
    run = subprocess.run([sys.executable, "-m", "kiosk", "verify-bundle", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ideas_csv_in_the_german_excel_dialect(web, staff):
    r, ideas, _ = web
    got = staff.get(r.url + "/staff/export/ideas.csv?topic=green", timeout=30)
    assert got.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in got.content
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"), newline=""), **CSV_DIALECT))
    assert rows[0][0] == "id" and len(rows) - 1 == sum(1 for i in ideas if i.topic_id == "green")
    assert "attachment" in got.headers["content-disposition"]


def test_an_admin_makes_a_terminal_token_shown_once_and_staff_cannot(web, staff):
    r, _, _ = web
    html = staff.get(r.url + "/staff/overview", timeout=10).text
    refused = staff.post(r.url + "/staff/accounts/token", data={"csrf": csrf_of(html), "kiosk_id": "kiosk-9"},
                         timeout=10)
    assert refused.status_code == 403
    admin = sign_in(r.url, ADMIN, ADMIN_PASSWORD)
    page = admin.get(r.url + "/staff/accounts", timeout=10).text
    made = admin.post(r.url + "/staff/accounts/token", data={"csrf": csrf_of(page), "kiosk_id": "kiosk-9"}, timeout=10)
    assert made.status_code == 200
    token = re.search(r'id="new-token">.*?<code class="hash">([^<]+)</code>', made.text, re.S).group(1)
    beat = requests.post(r.url + "/api/v1/heartbeat", json={"sent_at": "2024-07-01T00:00:00Z"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert beat.status_code == 200
    assert token not in admin.get(r.url + "/staff/accounts", timeout=10).text  # shown once
    bad = admin.post(r.url + "/staff/accounts/token", data={"csrf": csrf_of(page), "kiosk_id": "../x"}, timeout=10)
    assert bad.status_code == 422 and "Terminal-Kennung" in bad.text


def test_a_deleted_idea_leaves_the_search_index_and_the_export(web, staff, tmp_path):
    r, ideas, _ = web
    victim = ideas[17]
    url = r.url + f"/staff/items/{victim.id}"
    token = csrf_of(staff.get(url, timeout=10).text)
    staff.post(url + "/decide", data={"csrf": token, "state": "deleted", "reason": "personal_data", "confirm": "yes"},
               timeout=10)
    for q in ("q=Nummer+17", "q=Nummer+17&state=deleted"):
        assert victim.id not in page_ids(staff.get(r.url + f"/staff/items?{q}", timeout=10).text)
    assert victim.id in page_ids(staff.get(r.url + "/staff/items?state=deleted", timeout=10).text)  # the tombstone
    csv_text = staff.get(r.url + "/staff/export/ideas.csv", timeout=30).content.decode("utf-8-sig")
    assert victim.id not in csv_text and "Nummer 17;" not in csv_text
    with sqlite3.connect(r.data_dir / "receiver.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM submissions_fts WHERE submissions_fts MATCH '\"Nummer\" \"17\"'").fetchone()[0] == 0


def test_a_wrong_time_zone_is_refused_before_the_receiver_starts(tmp_path):
    run = subprocess.run([sys.executable, "-m", "kiosk", "receiver", "--data-dir", str(tmp_path), "--timezone",
                          "Mars/Olympus"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "not a time zone like Europe/Berlin" in run.stderr and "Traceback" not in run.stderr
