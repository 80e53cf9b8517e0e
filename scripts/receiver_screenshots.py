#!/usr/bin/env python3
"""Screenshots of every page of the receiver's staff web app, at 1440x900 and 768x1024.

Starts a receiver over sample content (the bundled kiosk.toml's fields of action, three
terminals, heartbeats), signs in with the system Chromium (Debian's ``chromium`` and
``chromium-driver``) and writes ``docs/screenshots/receiver-<page>-<width>x<height>.png``.

    python scripts/receiver_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZES = ((1440, 900), (768, 1024))
ADMIN, PASSWORD = "anna", "demo-password-anna"


def make_driver(width: int, height: int):  # noqa: ANN201 - a selenium WebDriver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars", "--lang=de-DE", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    # Chromium takes its UI language (the date fields' "TT.MM.JJJJ") from the environment.
    env = {**os.environ, "LANGUAGE": "de", "LANG": "de_DE.UTF-8"}
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver", env=env), options=options)


def sign_in(driver, base: str, name: str, password: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    driver.get(base + "/staff/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()


def seed(data_dir: Path) -> list:
    import requests  # noqa: F401 - the heartbeats below

    from kiosk.core.config import BUNDLED_CONFIG, load_config
    from sync.receiver.moderation import Moderation
    from sync.receiver.storage import ReceiverStore
    from sync.receiver.web.accounts import add_account
    from sync.receiver.web.demo import demo_receiver

    config = load_config(BUNDLED_CONFIG)
    subs = demo_receiver(data_dir, config, ideas=400, drawings=40)
    add_account(data_dir, ADMIN, "admin", PASSWORD)
    store = ReceiverStore(data_dir)
    mod = Moderation(store)
    ideas = [s for s in subs if s.kind == "idea"]
    mod.decide([s.id for s in ideas[:30]], "approved", actor="anna")
    mod.decide([ideas[31].id], "withheld", actor="ben", reason="personal_data", note="Telefonnummer im Text")
    mod.decide([ideas[31].id], "approved", actor="anna", note="Nummer entfernt, nun in Ordnung")
    store.close()
    return subs


def heartbeats(base: str, data_dir: Path) -> None:
    import requests

    from kiosk.core.model import utc_now
    from sync.receiver import add_token

    beats = {"rathaus-1": dict(pending=0, failed=0, free_disk_bytes=18_400_000_000, skew=0),
             "rathaus-2": dict(pending=12, failed=1, free_disk_bytes=2_100_000_000, skew=0),
             "markt-1": dict(pending=3, failed=0, free_disk_bytes=9_700_000_000, skew=-400)}
    from datetime import datetime, timedelta, timezone

    for kiosk_id, b in beats.items():
        token = add_token(data_dir, kiosk_id)
        sent = (datetime.now(timezone.utc) + timedelta(seconds=b["skew"])).strftime("%Y-%m-%dT%H:%M:%SZ")
        requests.post(base + "/api/v1/heartbeat", json={
            "sent_at": sent, "app_version": "1.4.0", "pending": b["pending"], "failed": b["failed"],
            "free_disk_bytes": b["free_disk_bytes"], "last_activity": utc_now()[:19] + "Z", "reason": "pass"},
            headers={"Authorization": f"Bearer {token}"}, timeout=10).raise_for_status()
    add_token(data_dir, "schule-1")  # a terminal that has a token and never reported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from kiosk.core.config import BUNDLED_CONFIG
    from sync.receiver import ReceiverSettings, ReceiverThread

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        subs = seed(data_dir)
        drawing = next(s for s in subs if s.kind == "drawing")
        idea = [s for s in subs if s.kind == "idea"][31]
        with ReceiverThread(ReceiverSettings(data_dir, titles_from=BUNDLED_CONFIG, timezone="Europe/Berlin")) as r:
            heartbeats(r.url, data_dir)
            pages = {"login": None, "overview": "/staff/overview", "browse": "/staff/items",
                     "browse-filtered": "/staff/items?kind=idea&q=Park", "item": f"/staff/items/{idea.id}",
                     "drawing": f"/staff/items/{drawing.id}", "terminals": "/staff/terminals",
                     "accounts": "/staff/accounts"}
            args.out.mkdir(parents=True, exist_ok=True)
            for width, height in SIZES:
                driver = make_driver(width, height)
                try:
                    driver.get(r.url + "/staff/login")
                    driver.save_screenshot(str(args.out / f"receiver-login-{width}x{height}.png"))
                    sign_in(driver, r.url, ADMIN, PASSWORD)
                    for name, path in pages.items():
                        if path is None:
                            continue
                        driver.get(r.url + path)
                        if name == "drawing":
                            from selenium.webdriver.common.by import By

                            driver.find_element(By.ID, "replay-play").click()
                            time.sleep(2.5)
                        driver.save_screenshot(str(args.out / f"receiver-{name}-{width}x{height}.png"))
                finally:
                    driver.quit()
    print(f"wrote {len(SIZES) * 8} screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
