"""Reasons of failures and withheld items, shown in the staff panel's language.

A table over every reason the kiosk records (samples, no consent, recovered
drafts, the moderation codes, the sync client's failure texts and the English
sentences of kiosk.core.overview.plain_reason), then the overview itself in German
and English on a real store.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.core import moderation
from kiosk.core.overview import PLAIN_REASONS, plain_reason
from staff_helpers import CONFIG, drawing, idea, open_store
from ui.staff.pages.overview import OverviewScreen, reason_lines
from ui.staff.reasons import reason_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

RECOVERED = "recovered draft after a crash; keep or discard"  # what kiosk.core.drafts writes

WITHHELD = [  # (stored, German, English)
    ("sample", "Beispieldaten, werden nie übertragen", "Sample data, never synced"),
    ("no consent", "Ohne Einverständnis der Eltern, bleibt am Stand", "No parent's consent, stays at the stand"),
    (RECOVERED, "Unfertiges Bild nach einem Absturz: behalten oder verwerfen (Moderieren)",
     "Unfinished drawing recovered after a crash: keep or discard (Moderate)"),
    ("insulting", "Beleidigend", "Insulting"),
    ("personal_data", "Persönliche Daten", "Personal data"),
    ("personal_data: Telefonnummer im Text", "Persönliche Daten: Telefonnummer im Text",
     "Personal data: Telefonnummer im Text"),
    ("off_topic", "Nicht zum Thema", "Off topic"),
    ("spam", "Spam / Test", "Spam / test"),
    ("other: doppelt eingereicht", "Anderer Grund: doppelt eingereicht", "Other reason: doppelt eingereicht"),
    ("von Hand notiert", "von Hand notiert", "von Hand notiert"),            # staff's own words: as they are
    ("", "Kein Grund vermerkt", "No reason was recorded"),
]

FAILED = [  # (stored by sync, German, English)
    ("413: blob is 9000000 bytes; the limit is 8388608",
     "Zu groß für den Empfänger: Datei ist 9,0 MB, erlaubt sind 8,4 MB",
     "Too large for the receiver: File is 9.0 MB, the limit is 8.4 MB"),
    ("413: blob: the png is 9000000 bytes; the receiver accepts at most 8388608",   # the client's own check
     "Zu groß für den Empfänger: Bild ist 9,0 MB, erlaubt sind 8,4 MB",
     "Too large for the receiver: Picture is 9.0 MB, the limit is 8.4 MB"),
    ("413: text: longer than 1000 characters",
     "Zu groß für den Empfänger – Empfänger meldet: text: longer than 1000 characters",
     "Too large for the receiver – receiver says: text: longer than 1000 characters"),
    ("422: text: contains control characters",
     "Inhalt vom Empfänger abgelehnt – Empfänger meldet: text: contains control characters",
     "The receiver refused the content – receiver says: text: contains control characters"),
    ("422: receiver gave no reason", "Inhalt vom Empfänger abgelehnt", "The receiver refused the content"),
    ("409: submission x already exists with different content",
     "Der Empfänger hat schon einen anderen Beitrag mit dieser Kennung – Empfänger meldet: "
     "submission x already exists with different content",
     "The receiver already has a different item with this id – receiver says: "
     "submission x already exists with different content"),
    ("401: missing or unknown kiosk token",
     "Der Empfänger nimmt das Token dieses Kiosks nicht an; bitte ein neues Token anfordern",
     "The receiver did not accept this kiosk's token; ask IT for a new one"),
    ("500: database is locked", "Der Empfänger antwortet mit Fehler 500 – Empfänger meldet: database is locked",
     "The receiver answered with error 500 – receiver says: database is locked"),
    ("receipt does not match: digest abc != def",
     "Die Quittung des Empfängers passt nicht zum Beitrag (digest abc != def)",
     "The receiver's receipt does not match the item (digest abc != def)"),
    ("cannot reach the receiver (connection refused)", "Der Empfänger ist nicht erreichbar (connection refused)",
     "The receiver cannot be reached (connection refused)"),
    ("the receiver answered 404 to the submission upload; check the sync endpoint (404: not found)",
     "Unerwartete Antwort des Empfängers; bitte die Sync-Adresse prüfen (404)",
     "Unexpected answer from the receiver; check the sync endpoint (404)"),
    ("the receiver did not answer in time", "Der Empfänger hat nicht rechtzeitig geantwortet",
     "The receiver did not answer in time"),
    ("something new from a newer receiver", "Empfänger meldet: something new from a newer receiver",
     "Receiver says: something new from a newer receiver"),              # unknown: kept, prefixed
]


@pytest.mark.parametrize(("stored", "de", "en"), WITHHELD)
def test_withheld_reasons_read_in_the_panel_language(stored, de, en) -> None:
    assert reason_text(stored, "de", withheld=True) == de
    assert reason_text(stored, "en", withheld=True) == en


@pytest.mark.parametrize(("stored", "de", "en"), FAILED)
def test_failure_reasons_read_in_the_panel_language(stored, de, en) -> None:
    assert reason_text(stored, "de") == de
    assert reason_text(stored, "en") == en


@pytest.mark.parametrize(("stored", "de", "en"), [f for f in FAILED if re.match(r"\d{3}", f[0])])
def test_overviews_english_sentences_map_like_the_raw_codes(stored, de, en) -> None:
    """kiosk.core.overview.plain_reason may already have made English of it: same result."""
    assert reason_text(plain_reason(stored), "de") == de
    assert reason_text(plain_reason(stored), "en") == en


def test_every_known_code_has_words() -> None:
    for code in moderation.WITHHOLD_REASONS:
        assert reason_text(code, "de", withheld=True) != code
        assert reason_text(code, "en", withheld=True) != code
    for code, _words in PLAIN_REASONS:
        assert not reason_text(f"{code}: x", "de").startswith("Empfänger meldet")


def test_reasons_that_read_the_same_are_counted_once() -> None:
    counted = (("sample", 250), ("personal_data", 1), ("personal_data: ", 2))
    assert reason_lines(counted, "de", withheld=True) == [("Beispieldaten, werden nie übertragen", 250),
                                                         ("Persönliche Daten", 3)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_overview_shows_no_raw_reason(qtbot, tmp_path, lang) -> None:
    store = open_store(tmp_path / "data")
    subs = [idea(f"Idee {n}") for n in range(4)] + [drawing(1, unfinished=True, consent_given=False)]
    store.add_many(subs)
    store.mark_failed(subs[0].id, "413: blob is 9000000 bytes; the limit is 8388608")
    store.mark_failed(subs[1].id, "422: text: contains control characters")
    store.withhold(subs[2].id, "personal_data: Telefonnummer im Text")
    store.withhold(subs[3].id, "no consent")
    store.withhold(subs[4].id, RECOVERED)
    screen = OverviewScreen(store, CONFIG, None, lang)
    qtbot.add_widget(screen)
    shown = screen.findChild(QLabel, "staff_overview_failures").text()
    want = {"de": ["1 × Zu groß für den Empfänger: Datei ist 9,0 MB, erlaubt sind 8,4 MB",
                   "1 × zurückgehalten: Persönliche Daten: Telefonnummer im Text",
                   "1 × zurückgehalten: Ohne Einverständnis der Eltern, bleibt am Stand",
                   "1 × zurückgehalten: Unfertiges Bild nach einem Absturz"],
            "en": ["1 × Too large for the receiver: File is 9.0 MB, the limit is 8.4 MB",
                   "1 × withheld: Personal data: Telefonnummer im Text",
                   "1 × withheld: No parent's consent, stays at the stand",
                   "1 × withheld: Unfinished drawing recovered after a crash"]}[lang]
    for line in want:
        assert line in shown
    for raw in ("personal_data", "no consent", "recovered draft", "blob is", "Too large" if lang == "de" else "Zu groß"):
        assert raw not in shown
    screen.set_language("en" if lang == "de" else "de")                   # follows a language switch
    assert screen.findChild(QLabel, "staff_overview_failures").text() != shown
    store.close()


def test_status_words_follow_the_language() -> None:
    from ui.staff.reasons import status_text

    assert [status_text(s, "de") for s in ("pending", "sent", "failed", "withheld")] == [
        "wartend", "gesendet", "fehlgeschlagen", "zurückgehalten"]
    assert status_text("withheld", "en") == "withheld" and status_text("new_state", "de") == "new_state"


@pytest.mark.parametrize(("state", "message", "lang", "shown"), [
    ("auth", "the receiver refused this kiosk's token (401): the token is wrong, was replaced, or belongs "
             "to another receiver", "de", "401"),                      # the line itself says it in words
    ("auth", "", "en", "401"),
    ("error", "cannot reach the receiver (connection refused)", "de",
     "Der Empfänger ist nicht erreichbar (connection refused)"),
    ("error", "sync cannot start: no token file", "en", "Sync cannot start (no token file)"),
    ("error", "", "de", "?"),
])
def test_state_details_are_short_and_translated(state, message, lang, shown) -> None:
    from ui.staff.reasons import state_detail

    assert state_detail(state, message, lang) == shown


def test_list_lines_speak_the_panel_language(tmp_path) -> None:
    from ui.staff.pages.browse import item_line

    store = open_store(tmp_path / "data")
    sub = drawing(2, unfinished=True)
    store.add(sub)
    store.withhold(sub.id, RECOVERED)
    (it,) = [i for i in moderation.search(store, "", kind=None, limit=10) if i.id == sub.id]
    assert "zurückgehalten, unfertig" in item_line(it, "Zeichnungen", "de")
    assert "withheld, unfinished" in item_line(it, "Drawings", "en")
    store.close()


def test_list_lines_keep_a_visitors_direction_inside_the_visitors_text(tmp_path) -> None:
    from kiosk.core.bidi import FSI, PDI
    from ui.staff.pages.browse import item_line

    store = open_store(tmp_path / "data")
    hebrew = "\u05e8\u05e2\u05d9\u05d5\u05df"
    sub = idea(f"{hebrew} \u202eetraK " + "x" * 200)  # stored by an older kiosk, override and all
    store.add(sub)
    (it,) = [i for i in moderation.search(store, "", kind="idea", limit=10) if i.id == sub.id]
    line = item_line(it, "Mobilität", "de").split("\n")[1]
    assert line.startswith(f"{FSI}{hebrew} etraK x") and line.endswith(f"{PDI}…")
    assert "\u202e" not in line
    store.close()
