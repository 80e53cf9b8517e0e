"""End to end: an idea typed on the terminal (offscreen Qt), synced to a real receiver, approved by
staff, published through the Decidim stand-in and the webhook; the page behind its QR code links
to the proposal. The stand-ins are local servers that follow the platforms' published schemas,
not the platforms themselves."""

from __future__ import annotations

import dataclasses
import time

import requests
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox

from kiosk.core.config import BUNDLED_CONFIG, load_config
from sync.client import SyncClient
from sync.receiver import ReceiverSettings, ReceiverThread, add_token
from tests.sync.receiver.publish.standin_decidim import FAKE_KEY, FAKE_SECRET, DecidimStandIn
from tests.sync.receiver.publish.standins import FAKE_WEBHOOK_SECRET, WebhookConsumer, receiver_toml, write_secret
from tests.ui.ideas.test_flow import find, make_flow, tap, type_physical, walk_to_write
from ui.common.limited_text import LimitedLineEdit, LimitedTextEdit


def test_an_idea_from_the_terminal_reaches_decidim_and_its_qr_code_shows_the_link(qtbot, store, tmp_path,
                                                                                 decode_qr):
    bundled = load_config(BUNDLED_CONFIG)
    data = tmp_path / "receiver"
    data.mkdir()
    token = add_token(data, bundled.kiosk.id)
    write_secret(data / "decidim.key", FAKE_KEY)
    write_secret(data / "decidim.secret", FAKE_SECRET)
    write_secret(data / "webhook.secret", FAKE_WEBHOOK_SECRET)
    with DecidimStandIn() as decidim, WebhookConsumer() as webhook:
        receiver_toml(data, f"""[publish]\ninterval_s = 0.2
[connectors.decidim]\nenabled = true\napi_url = "{decidim.url}/api"\ncomponent_id = "12"
key_file = "decidim.key"\nsecret_file = "decidim.secret"
proposal_url = "https://decidim.example.org/processes/smart-city/f/12/proposals/{{id}}"
[connectors.webhook]\nenabled = true\nurl = "{webhook.url}"\nsecret_file = "webhook.secret"
""")
        with ReceiverThread(ReceiverSettings(data)) as receiver:
            config = dataclasses.replace(bundled, event=dataclasses.replace(
                bundled.event, idea_url_template=receiver.url + "/s/{token}"))
            flow = make_flow(qtbot, config, store, "de")
            flow.start()
            walk_to_write(flow)
            title = find(flow, LimitedLineEdit, "ideas_title")
            QTest.mouseClick(title, Qt.MouseButton.LeftButton)
            type_physical(title, "Trinkbrunnen am Holzmarkt")
            text = find(flow, LimitedTextEdit, "ideas_text")
            QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton)
            type_physical(text, "Im Sommer fehlt in der Innenstadt Wasser für alle.")
            tap(flow, "ideas_write_next")
            tap(flow, "ideas_about_next")
            tap(flow, "ideas_consent_check", QCheckBox)
            tap(flow, "ideas_consent_next")
            with qtbot.wait_signal(flow.submitted) as sent:
                tap(flow, "ideas_review_send")
            (qr_url,) = decode_qr(flow.thanks.qr)
            submission_id = sent.args[0]
            assert qr_url.startswith(receiver.url + "/s/")
            assert "Noch nicht angekommen" in requests.get(qr_url, timeout=5).text  # before the terminal synced

            client = SyncClient(store, endpoint=receiver.url + "/api/v1", token=token)
            assert client.sync_pending().done == 1
            client.close()
            assert "Angekommen – wird geprüft" in requests.get(qr_url, timeout=5).text

            receiver.app.state.moderation.decide([submission_id], "approved", actor="anna")
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not (decidim.proposals and webhook.received):
                time.sleep(0.1)
            (proposal,) = decidim.proposals
            assert proposal["title"] == "Trinkbrunnen am Holzmarkt"
            assert webhook.submission_ids() == [submission_id]
            page = requests.get(qr_url, timeout=5).text
            assert "Veröffentlicht" in page
            assert f'href="https://decidim.example.org/processes/smart-city/f/12/proposals/{proposal["id"]}"' in page
            assert "Im Sommer fehlt in der Innenstadt Wasser für alle." in page
