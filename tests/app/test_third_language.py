"""A third language is one catalogue file plus one config line: French from a fixture catalogue,
through check-config, the attract screen, the ideas flow and the staff panel, into the store."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QPlainTextEdit, QPushButton

from kiosk.app import build, close, finish_building
from kiosk.cli import main as kiosk_main
from kiosk.core.catalogue import TEMPLATE, Catalogues
from kiosk.core.config import BUNDLED_CONFIG, load_config_with_warnings
from kiosk.core.storage import Store
from ui.common import i18n

FR = "fr"


def french(english: str) -> str:
    """The fixture's "French": the English text marked «…», placeholders kept as they are."""
    return f"«{english}»"


def write_catalogue(folder: Path, *, leave_out: str = "") -> Path:
    """A complete fr.po made from the template, as a translator would hand it in."""
    folder.mkdir(parents=True, exist_ok=True)
    po = polib.pofile(str(TEMPLATE), wrapwidth=0)
    po.metadata["Language"] = FR
    for entry in list(po):
        if entry.msgctxt == leave_out:
            po.remove(entry)
        else:
            entry.msgstr = "Français" if entry.msgctxt == "language.name" else french(entry.msgid)
    po.save(str(folder / f"{FR}.po"))
    return folder / f"{FR}.po"


def write_config(tmp_path: Path) -> Path:
    """The bundled kiosk.toml with French added to its languages and the catalogue's folder named."""
    text = BUNDLED_CONFIG.read_text(encoding="utf-8")
    text, n = re.subn(r'(?m)^languages = \[(.*)\]$', r'languages = [\1, "fr"]\nlocale_dir = "locale"', text)
    assert n == 1
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fr_config(tmp_path: Path) -> Path:
    write_catalogue(tmp_path / "locale")
    return write_config(tmp_path)


def tap(root, name: str, cls=QAbstractButton) -> None:  # noqa: ANN001
    widget = root.findChild(cls, name)
    assert widget is not None and widget.isVisible() and widget.isEnabled(), name
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def text_of(root, name: str, cls=QLabel) -> str:  # noqa: ANN001
    widget = root.findChild(cls, name)
    assert widget is not None, name
    return widget.text()


def test_check_config_takes_the_third_language(fr_config: Path, capsys) -> None:
    assert kiosk_main(["check-config", "--config", str(fr_config)]) == 0
    bundled = load_config_with_warnings(BUNDLED_CONFIG)[0].kiosk.languages
    assert f"languages {', '.join([*bundled, FR])}" in capsys.readouterr().out
    _, warnings = load_config_with_warnings(fr_config)
    # The event's own texts (kiosk.toml) are not in French yet: they show in German, and staff are told.
    assert warnings and all("fr" in w.message for w in warnings if "translation" in w.message)


def test_a_missing_catalogue_names_the_language_and_where_to_put_it(tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path)
    (tmp_path / "locale").mkdir()
    assert kiosk_main(["check-config", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "no message catalogue for 'fr'" in err and str(tmp_path / "locale") in err


def test_an_incomplete_catalogue_is_named_entry_by_entry(tmp_path: Path, capsys) -> None:
    write_catalogue(tmp_path / "locale", leave_out="ideas.next")
    config = write_config(tmp_path)
    assert kiosk_main(["check-config", "--config", str(config)]) == 0  # it runs, in German where French is missing
    err = capsys.readouterr().err
    assert "fr.po" in err and "'ideas.next' is missing" in err


def test_a_visitor_chooses_french_and_the_whole_kiosk_speaks_it(qtbot, fr_config: Path, tmp_path: Path) -> None:
    window = build(fr_config, tmp_path / "data", windowed=True)
    try:
        finish_building(window)
        window.resize(1280, 800)
        with qtbot.waitSignal(window.first_painted, timeout=5000):
            window.show()
        attract = window.screens["attract"]
        assert attract.findChild(QPushButton, "language_fr").text() == "Français"
        tap(attract, "language_fr")
        assert window.parts.language.code == FR
        assert text_of(attract, "attract_prompt") == french("Join in").upper()  # shown in capitals

        tap(attract, "attract_ideas")
        flow = window.screens["ideas"].inner.flow
        assert text_of(flow, "ideas_topics_heading") == french("What is your idea about?")
        tap(flow, "ideas_topic_stadtentwicklung")
        tap(flow, "ideas_goal_own")
        text = flow.findChild(QPlainTextEdit, "ideas_text")
        QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton)
        QTest.keyClicks(text, "Plus de bancs au bord de la Saale")
        tap(flow, "ideas_write_next")
        tap(flow, "ideas_about_skip")
        tap(flow, "ideas_consent_check", QCheckBox)
        assert text_of(flow, "ideas_consent_next", QPushButton).startswith("«")
        tap(flow, "ideas_consent_next")
        with qtbot.waitSignal(flow.submitted) as sent:
            tap(flow, "ideas_review_send")
        assert text_of(flow, "ideas_thanks_heading") == french("Thank you for your idea!")
        with Store.open_in(tmp_path / "data") as store:
            saved = store.get(sent.args[0])
        assert saved is not None and saved.locale == FR and saved.text == "Plus de bancs au bord de la Saale"

        window.show_screen("staff")  # the staff panel follows the kiosk's language
        panel = window.screens["staff"].panel
        assert panel.lang == FR and text_of(panel, "staff_nav_overview", QPushButton) == french("Overview")
    finally:
        close(window)
        QApplication.processEvents()
        i18n.install(Catalogues())  # the next test's screens: the bundled catalogues
