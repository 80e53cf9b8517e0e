"""Leichte Sprache (de-x-ls) as a third visitor language: chosen on the attract screen like DE/EN,
the UI and the bundled topics in it, stored as the submission's locale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel

from ui.common.i18n import tr
from ui.common.limited_text import LimitedTextEdit

LS = "de-x-ls"


def tap(window, name: str, cls=QAbstractButton) -> None:  # noqa: ANN001
    widget = window.findChild(cls, name)
    assert widget is not None and widget.isVisible() and widget.isEnabled(), name
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def test_an_idea_in_leichte_sprache_from_the_attract_screen_to_the_store(make_window, jena_config,
                                                                         fake_store) -> None:
    window = make_window(size=(1920, 1080))
    assert LS in jena_config.kiosk.languages
    button = window.findChild(QAbstractButton, f"language_{LS}")
    assert button.text() == "Leichte Sprache"
    tap(window, f"language_{LS}")
    assert window.language.code == LS
    ideas = window.findChild(QAbstractButton, "attract_ideas")
    assert jena_config.flows.ideas_label.get_text(LS) in ideas.accessibleName() + ideas.findChild(
        QLabel, "entry_title").text()

    tap(window, "attract_ideas")
    heading = tr("ideas.topics.heading", LS)
    assert heading != tr("ideas.topics.heading", "de")  # its own words, not standard German
    assert heading in [lab.text() for lab in window.findChildren(QLabel) if lab.isVisible()]
    topic = jena_config.topics[0]
    card = window.findChild(QAbstractButton, f"ideas_topic_{topic.id}")
    assert card.findChild(QLabel, f"ideas_topic_{topic.id}_title").text() == topic.title.get_text(LS)
    assert topic.title.get_text(LS) != topic.title.get_text("de")
    assert window.findChild(QAbstractButton, f"ideas_lang_{LS}").text() == "Leicht"

    tap(window, f"ideas_topic_{topic.id}")
    tap(window, "ideas_goal_own")
    text = window.findChild(LimitedTextEdit, "ideas_text")
    text.insert_text("Mehr Bänke im Park. Dann kann ich mich ausruhen.")
    tap(window, "ideas_write_next")
    tap(window, "ideas_about_skip")
    tap(window, "ideas_consent_check", QCheckBox)
    tap(window, "ideas_consent_next")
    tap(window, "ideas_review_send")
    (sub,) = fake_store.subs.values()
    assert sub.locale == LS and sub.text == "Mehr Bänke im Park. Dann kann ich mich ausruhen."

    window.reset_session()  # the next visitor starts in the kiosk's first language again
    assert window.language.code == jena_config.kiosk.languages[0]
