"""The receiver's staff web app in a real browser: Debian's headless Chromium driven by Selenium.

The tests start the receiver (a thread on 127.0.0.1) and the browser themselves. They sign in,
get locked out after wrong passwords, browse, filter, search, open an item, replay a drawing,
moderate and see the audit entry, download an export that ``kiosk verify-bundle`` accepts,
and run axe-core (bundled in axe-selenium-python) on every page: no serious or critical
violations.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import need, wait_for

ADMIN, ADMIN_PASSWORD = "anna", "anna-long-password"
STAFF, STAFF_PASSWORD = "ben", "ben-long-password"
PAGES = ("/staff/overview", "/staff/items", "/staff/items?kind=idea&q=Park", "/staff/terminals", "/staff/accounts")


def browser(download_dir: Path, width: int = 1440, height: int = 900):  # noqa: ANN201 - a WebDriver
    need("chromium", "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--lang=de-DE"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    driver.implicitly_wait(0)
    return driver


def sign_in(driver, base: str, name: str, password: str) -> None:  # noqa: ANN001
    """Fill in the login form and send it; return once the answer has loaded."""
    from selenium.webdriver.common.by import By

    driver.get(base + "/staff/login")
    driver.find_element(By.ID, "name").clear()
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    navigate(driver, driver.find_element(By.ID, "login-submit"))


def navigate(driver, element) -> None:  # noqa: ANN001
    """Click *element* and return once the page it leads to has loaded (not the old one)."""
    from selenium.webdriver.common.by import By

    from selenium.common.exceptions import WebDriverException

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def loaded() -> bool:
        try:
            return _gone(old) and driver.execute_script("return document.readyState") == "complete"
        except WebDriverException:  # asked in the middle of the navigation: ask again
            return False

    wait_for(loaded, 30, "the next page")


def _gone(element) -> bool:  # noqa: ANN001
    """The element's page has been replaced (Chromium says so in two ways)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        return "does not belong to the document" in str(exc)
    return False


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A receiver over sample content: the bundled kiosk.toml's fields of action, three terminals."""
    from kiosk.core.config import BUNDLED_CONFIG, load_config
    from sync.receiver import ReceiverSettings, ReceiverThread
    from sync.receiver.web.accounts import add_account
    from sync.receiver.web.demo import demo_receiver

    d = tmp_path_factory.mktemp("receiver")
    subs = demo_receiver(d, load_config(BUNDLED_CONFIG), ideas=300, drawings=20)
    add_account(d, ADMIN, "admin", ADMIN_PASSWORD)
    add_account(d, STAFF, "staff", STAFF_PASSWORD)
    with ReceiverThread(ReceiverSettings(d, titles_from=BUNDLED_CONFIG, timezone="Europe/Berlin")) as r:
        yield r, subs


@pytest.fixture(scope="module")
def driver(site, tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    d = browser(downloads)
    d.downloads = downloads
    sign_in(d, site[0].url, ADMIN, ADMIN_PASSWORD)
    yield d
    d.quit()


def test_sign_in_wrong_passwords_lock_out_then_sign_out(tmp_path):
    from selenium.webdriver.common.by import By

    from sync.receiver import ReceiverSettings, ReceiverThread
    from sync.receiver.login_limiter import LimiterSettings
    from sync.receiver.web.accounts import add_account

    add_account(tmp_path, STAFF, "staff", STAFF_PASSWORD)
    settings = ReceiverSettings(tmp_path, login=LimiterSettings(free_failures=2, lockout_failures=3, lockout_s=600))
    d = browser(tmp_path)
    try:
        with ReceiverThread(settings) as r:
            d.get(r.url + "/staff/items")
            assert "/staff/login" in d.current_url and d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
            messages = []
            for _ in range(4):
                sign_in(d, r.url, STAFF, "not-the-password")
                messages.append(d.find_element(By.ID, "login-message").text)
            assert messages[0] == "Name oder Passwort ist falsch."
            assert messages[-1].startswith("Zu viele falsche Passwörter")
            sign_in(d, r.url, STAFF, STAFF_PASSWORD)  # locked out: even the right one waits
            assert "/staff/login" in d.current_url
            assert d.find_element(By.ID, "login-message").text.startswith("Zu viele falsche Passwörter")
            cookies = {c["name"]: c for c in d.get_cookies()}
            assert "receiver_session" not in cookies

        with ReceiverThread(ReceiverSettings(tmp_path)) as r:  # a new receiver forgets the lockout
            sign_in(d, r.url, STAFF, STAFF_PASSWORD)
            assert d.current_url.endswith("/staff/overview")
            cookie = {c["name"]: c for c in d.get_cookies()}["receiver_session"]
            assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
            assert d.execute_script("return document.cookie").find("receiver_session") == -1
            navigate(d, d.find_element(By.ID, "logout"))
            assert "/staff/login" in d.current_url
            d.get(r.url + "/staff/overview")
            assert "/staff/login" in d.current_url
    finally:
        d.quit()


def test_browse_filter_search_open_replay_moderate(site, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    r, subs = site
    driver.get(r.url + "/staff/items")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.items tbody tr")
    assert len(rows) == 50
    navigate(driver, driver.find_element(By.ID, "page-older"))
    assert "after=" in driver.current_url and len(driver.find_elements(By.CSS_SELECTOR, "input.pick")) == 50

    driver.get(r.url + "/staff/items")
    Select(driver.find_element(By.ID, "f-kind")).select_by_value("drawing")
    Select(driver.find_element(By.ID, "f-terminal")).select_by_value("rathaus-1")
    navigate(driver, driver.find_element(By.ID, "filter-apply"))
    ids = [b.get_attribute("value") for b in driver.find_elements(By.CSS_SELECTOR, "input.pick")]
    expected = {s.id for s in subs if s.kind == "drawing" and s.kiosk_id == "rathaus-1"}
    assert set(ids) == expected and expected

    driver.get(r.url + "/staff/items")
    driver.find_element(By.ID, "q").send_keys("Fahrradbügel")
    navigate(driver, driver.find_element(By.ID, "filter-apply"))
    texts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.items .excerpt")]
    assert texts and all("Fahrradbügel" in t for t in texts)
    assert len(texts) == min(50, sum(1 for s in subs if "Fahrradbügel" in s.text))

    # One drawing: full size, then its replay on the canvas.
    drawing = next(s for s in subs if s.kind == "drawing")
    driver.get(r.url + f"/staff/items/{drawing.id}")
    img = driver.find_element(By.ID, "drawing-full")
    assert driver.execute_script("return arguments[0].naturalWidth", img) > 0
    wait_for(lambda: driver.find_element(By.ID, "replay").get_attribute("data-steps"), 10, "the strokes to load")
    driver.find_element(By.ID, "replay-speed").send_keys("16")
    driver.find_element(By.ID, "replay-play").click()
    wait_for(lambda: driver.find_element(By.ID, "replay-status").get_attribute("data-state") == "done", 20,
             "the replay to finish")
    canvas = driver.find_element(By.ID, "replay")
    assert canvas.get_attribute("data-painted") == canvas.get_attribute("data-steps")
    painted = driver.execute_script("""
        const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i+1] < 250 || d[i+2] < 250) n++;
        return n;""", canvas)
    assert painted > 100  # strokes on the paper, not a blank canvas

    # Moderate one idea and see the audit entry.
    idea = next(s for s in subs if s.kind == "idea")
    driver.get(r.url + f"/staff/items/{idea.id}")
    Select(driver.find_element(By.ID, "d-state")).select_by_value("withheld")
    Select(driver.find_element(By.ID, "d-reason")).select_by_value("off_topic")
    driver.find_element(By.ID, "d-note").send_keys("Gehört zur Nachbarstadt")
    navigate(driver, driver.find_element(By.ID, "decide-submit"))
    assert driver.find_element(By.ID, "item-state").text == "zurückgehalten"
    audit = driver.find_element(By.ID, "audit").text
    assert "anna" in audit and "nicht zum Thema" in audit and "Gehört zur Nachbarstadt" in audit

    # Bulk: approve a whole filtered page.
    driver.get(r.url + "/staff/items?kind=drawing")
    driver.find_element(By.ID, "select-all").click()
    n = len(driver.find_elements(By.CSS_SELECTOR, "input.pick:checked"))
    Select(driver.find_element(By.ID, "d-state")).select_by_value("approved")
    navigate(driver, driver.find_element(By.ID, "decide-submit"))
    assert driver.find_element(By.ID, "bulk-notice").text.startswith(f"{n} ")
    driver.get(r.url + "/staff/items?state=approved")
    assert len(driver.find_elements(By.CSS_SELECTOR, "input.pick")) == n == 20


def test_download_an_export_that_verify_bundle_accepts(site, driver):
    from selenium.webdriver.common.by import By

    r, subs = site
    driver.get(r.url + "/staff/items?terminal=markt-1")
    driver.find_element(By.ID, "export-zip").click()
    zips = wait_for(lambda: [p for p in driver.downloads.glob("*.zip") if p.stat().st_size], 30, "the download")
    time.sleep(0.5)  # Chromium renames the .crdownload when it is complete
    run = subprocess.run([sys.executable, "-m", "kiosk", "verify-bundle", str(zips[0])], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    from kiosk.core.export import verify_bundle

    assert verify_bundle(zips[0]).counts["submissions"] == sum(1 for s in subs if s.kiosk_id == "markt-1")
    driver.find_element(By.ID, "export-csv").click()
    csv_file = wait_for(lambda: [p for p in driver.downloads.glob("ideas*.csv") if p.stat().st_size], 30, "the CSV")
    assert csv_file[0].read_bytes().startswith(b"\xef\xbb\xbfid;")


def test_axe_finds_no_serious_or_critical_violation_on_any_page(site, driver):
    from axe_selenium_python import Axe

    r, subs = site
    idea = next(s for s in subs if s.kind == "idea")
    drawing = next(s for s in subs if s.kind == "drawing")
    pages = [*PAGES, f"/staff/items/{idea.id}", f"/staff/items/{drawing.id}"]
    found = {}
    for lang in ("de", "en"):
        driver.get(r.url + f"/staff/lang/{lang}?next=/staff/overview")
        for path in pages:
            driver.get(r.url + path)
            axe = Axe(driver)
            axe.inject()
            result = axe.run()
            bad = [(v["id"], v["impact"], [(n["target"], n.get("failureSummary")) for n in v["nodes"]][:3]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{lang} {path}"] = bad
    driver.delete_cookie("receiver_session")
    driver.get(r.url + "/staff/login")
    axe = Axe(driver)
    axe.inject()
    login_bad = [v["id"] for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
    assert not found and not login_bad, (found, login_bad)


def test_staff_edit_an_idea_for_decidim_in_the_browser(tmp_path):
    """The outbox's edit page in Chromium: a text too short for Decidim is refused with a message
    (axe: no serious or critical violation, German and English), a fitting one goes out."""
    from axe_selenium_python import Axe
    from selenium.webdriver.common.by import By

    from kiosk.core.model import new_status_token
    from sync.receiver import ReceiverSettings, ReceiverThread
    from sync.receiver.storage import ReceiverStore
    from sync.receiver.web.accounts import add_account
    from sync.receiver.web.sessions import SessionSettings
    from tests.sync.receiver.publish.standin_decidim import FAKE_KEY, FAKE_SECRET, DecidimStandIn
    from tests.sync.receiver.publish.standins import receiver_toml, write_secret
    from tests.sync.receiver.web_helpers import idea, put

    data = tmp_path / "r"
    data.mkdir()
    add_account(data, STAFF, "staff", STAFF_PASSWORD)
    write_secret(data / "decidim.key", FAKE_KEY)
    write_secret(data / "decidim.secret", FAKE_SECRET)
    sub = idea(3, title="Schatten am Holzmarkt", text="Bäume!", status_token=new_status_token())
    store = ReceiverStore(data)
    put(store, sub)
    store.close()
    with DecidimStandIn() as decidim:
        receiver_toml(data, f'[publish]\ninterval_s = 0.2\n[connectors.decidim]\nenabled = true\n'
                            f'api_url = "{decidim.url}/api"\ncomponent_id = "12"\nkey_file = "decidim.key"\n'
                            'secret_file = "decidim.secret"\n'
                            'proposal_url = "https://decidim.example.org/processes/x/f/12/proposals/{id}"\n')
        with ReceiverThread(ReceiverSettings(data, sessions=SessionSettings(secure_cookie=False))) as r:
            outbox = r.app.state.outbox
            r.app.state.moderation.decide([sub.id], "approved", actor=STAFF)
            wait_for(lambda: [i.state for i in outbox.of(sub.id)] == ["needs_editing"], 20, "needs editing")
            driver = browser(tmp_path)
            try:
                sign_in(driver, r.url, STAFF, STAFF_PASSWORD)
                driver.get(r.url + "/staff/outbox")
                navigate(driver, driver.find_element(By.CSS_SELECTOR, "a.edit"))
                bad = {}
                for lang in ("de", "en"):
                    driver.get(f"{r.url}/staff/outbox/{sub.id}/decidim/edit?lang={lang}")
                    axe = Axe(driver)
                    axe.inject()
                    bad[lang] = [v["id"] for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
                assert bad == {"de": [], "en": []}
                driver.get(f"{r.url}/staff/outbox/{sub.id}/decidim/edit?lang=de")
                body = driver.find_element(By.ID, "edit-body")
                assert body.get_attribute("value") == "Bäume!"  # starts from the visitor's own words
                body.send_keys(" Bitte.")
                navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.edit button"))
                alert = driver.find_element(By.CSS_SELECTOR, "[role=alert]").text
                assert "Der Text hat 13 Zeichen; die Plattform braucht mindestens 15." in alert
                body = driver.find_element(By.ID, "edit-body")
                assert body.get_attribute("value") == "Bäume! Bitte."
                body.send_keys(" Mehr Schatten für alle im Sommer.")
                navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.edit button"))
                assert driver.current_url.startswith(r.url + "/staff/outbox")
                wait_for(lambda: [i.state for i in outbox.of(sub.id)] == ["published"], 20, "published")
                assert decidim.proposals[0]["body"].startswith("Bäume! Bitte. Mehr Schatten für alle im Sommer.\n\n")
            finally:
                driver.quit()


def test_a_replayed_stamp_is_the_kiosks_icon_not_a_dot(tmp_path, qapp):
    """The replay paints a stamp as the kiosk does (its icon's outline, scripts/stamp_paths.py):
    the browser's canvas and the kiosk's own rendering (ui.drawing.render) cover the same pixels;
    a dot of the stamp's size would not."""
    from selenium.webdriver.common.by import By

    from kiosk.core.drawing import Drawing
    from kiosk.core.model import Blob, Submission
    from sync.receiver import ReceiverSettings, ReceiverThread
    from sync.receiver.web.accounts import add_account
    from ui.drawing.render import encode_png, render_layer

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync" / "receiver"))
    from web_helpers import seed

    drawing = Drawing.from_json({"format": "kiosk-drawing", "version": 1, "width": 400, "height": 300,
                                 "background": "blank", "paper": "#ffffff", "items": [
                                     {"type": "stamp", "kind": "tree", "x": 200, "y": 150, "size": 200.0,
                                      "color": "#009e73", "t": 100}]})
    qt_image = render_layer(drawing)
    sub = Submission(kind="drawing", topic_id="playground", consent_given=True, consent_version="2024-1",
                     kiosk_id="markt-1", event_id="fest",
                     blobs=(Blob("png", encode_png(qt_image)), Blob("strokes", drawing.to_bytes())))
    seed(tmp_path, [sub])
    add_account(tmp_path, STAFF, "staff", STAFF_PASSWORD)
    with ReceiverThread(ReceiverSettings(tmp_path)) as r:
        d = browser(tmp_path)
        try:
            sign_in(d, r.url, STAFF, STAFF_PASSWORD)
            d.get(r.url + f"/staff/items/{sub.id}")
            wait_for(lambda: d.find_element(By.ID, "replay").get_attribute("data-steps") == "1", 10, "the stamp")
            d.find_element(By.ID, "replay-play").click()
            wait_for(lambda: d.find_element(By.ID, "replay-status").get_attribute("data-state") == "done", 20,
                     "the replay to finish")
            inked = d.execute_script("""
                const c = document.getElementById('replay'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const out = []; for (let i = 0; i < d.length; i += 4) out.push(d[i] < 128 ? 1 : 0);
                return out;""")
        finally:
            d.quit()
    kiosk = [1 if qt_image.pixelColor(i % 400, i // 400).red() < 128 else 0 for i in range(400 * 300)]
    dot = [1 if (i % 400 - 200) ** 2 + (i // 400 - 150) ** 2 <= 100 ** 2 else 0 for i in range(400 * 300)]

    def iou(a: list[int], b: list[int]) -> float:
        both = sum(x & y for x, y in zip(a, b))
        return both / max(1, sum(x | y for x, y in zip(a, b)))

    assert sum(kiosk) > 2000 and len(inked) == len(kiosk)
    assert iou(inked, kiosk) > 0.95, iou(inked, kiosk)
    assert iou(dot, kiosk) < 0.8  # the comparison tells a dot from the icon
