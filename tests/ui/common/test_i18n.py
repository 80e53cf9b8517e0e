"""The Language switch, and texts from the catalogues as the screens ask for them."""

from __future__ import annotations

import pytest

from ui.common.i18n import Language, format_dates, language_name, tr


def test_changed_only_on_real_change(qtbot) -> None:
    lang = Language(("de", "en"), "de")
    with qtbot.assertNotEmitted(lang.changed):
        lang.set("de")
    with qtbot.waitSignal(lang.changed) as blocker:
        lang.set("en")
    assert blocker.args == ["en"]
    assert lang.tr("idle.title") == "Still there?"
    with qtbot.waitSignal(lang.changed):
        lang.reset()
    assert lang.code == "de"


def test_unconfigured_language_is_refused() -> None:
    with pytest.raises(ValueError):
        Language(("de",), "de").set("en")


def test_tr_formats() -> None:
    assert tr("pin.locked", "en", s=8) == "Wrong PIN. Next try in 8 s"
    assert tr("pin.locked", "de", s=8) == "Falsche PIN. Nächster Versuch in 8 s"


def test_languages_are_named_in_themselves() -> None:
    assert (language_name("de"), language_name("en")) == ("Deutsch", "English")


@pytest.mark.parametrize("dates, lang, out", [
    (("2022-07-03",), "de", "3. Juli 2022"),
    (("2022-07-03",), "en", "3 July 2022"),
    (("2022-07-02", "2022-07-03"), "de", "2. Juli 2022 – 3. Juli 2022"),
    (("someday",), "en", "someday"),
    ((), "de", ""),
])
def test_format_dates(dates, lang, out) -> None:
    assert format_dates(dates, lang) == out
