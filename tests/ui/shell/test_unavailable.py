"""When the store refuses new contributions the visitor gets a friendly screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from ui.shell.main_window import MainWindow


@pytest.mark.parametrize("flow", ["ideas", "drawing"])
def test_refusing_store_shows_unavailable(qtbot, window: MainWindow, fake_store, flow) -> None:
    fake_store.accepting = False
    qtbot.mouseClick(window.findChild(QAbstractButton, f"attract_{flow}"), Qt.MouseButton.LeftButton)
    assert window.current_name == "unavailable"
    assert window.screens["unavailable"].title.text() == window.language.tr("unavailable.title")
    qtbot.mouseClick(window.findChild(QAbstractButton, "unavailable_back"), Qt.MouseButton.LeftButton)
    assert window.current_name == "attract"


def test_failing_store_check_counts_as_refusing(window: MainWindow, fake_store) -> None:
    def boom() -> bool:
        raise OSError("disk gone")
    fake_store.can_accept = boom
    window.screens["attract"].flow_chosen.emit("ideas")
    assert window.current_name == "unavailable"


def test_unavailable_times_out_like_any_screen(window: MainWindow) -> None:
    window.show_screen("unavailable")
    assert window.idle.timeout == window.config.idle.timeout_s
