"""Fixtures for the shell: the real app from kiosk.app.build, fast timers, a fake store."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app import build, close, finish_building
from kiosk.core.config import BUNDLED_CONFIG, Config, IdleConfig, load_config
from ui.shell.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
UI_TESTS = Path(__file__).resolve().parent
CONFIG_PATH = REPO / "kiosk.toml" if (REPO / "kiosk.toml").is_file() else BUNDLED_CONFIG

# Fast enough for tests, slow enough that two cores under load still see the order.
FAST_IDLE = IdleConfig(timeout_s=0.5, countdown_s=1.0, drawing_timeout_s=1.5, thanks_timeout_s=0.5)


@dataclasses.dataclass
class FakeStore:
    """The StoreLike interface kiosk.app uses, with knobs."""

    accepting: bool = True
    notices: list[Any] = dataclasses.field(default_factory=list)
    counts: dict[str, Any] = dataclasses.field(default_factory=dict)
    closed: bool = False

    def can_accept(self) -> bool:
        return self.accepting

    def stats(self) -> dict[str, Any]:
        return self.counts

    def close(self) -> None:
        self.closed = True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot pass a top-level window's size hints on
    (the lazily built flows change them); harmless, and not a warning on a real display."""
    for item in items:
        if UI_TESTS in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(scope="session")
def jena_config() -> Config:
    return load_config(CONFIG_PATH)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def make_window(qtbot, jena_config: Config, store: FakeStore, tmp_path: Path
                ) -> Iterator[Callable[..., MainWindow]]:
    """Build the real app (fast idle timers, fake store), show it, tear it down after.

    The fake store has no ``add``: tests that hand something in use a real Store (``real_window``).
    """
    made: list[MainWindow] = []

    def make(config: Config | None = None, *, size: tuple[int, int] = (1280, 720), **replace: Any) -> MainWindow:
        cfg = config or jena_config
        cfg = dataclasses.replace(cfg, **{"idle": FAST_IDLE, **replace})
        window = build(cfg, tmp_path / "data", windowed=True, store=store)
        # Built before show (the app does it just after the first paint): the offscreen
        # platform warns when a shown top-level window's size hints change.
        finish_building(window)
        made.append(window)
        window.resize(*size)
        with qtbot.waitSignal(window.first_painted, timeout=5000):
            window.show()
        assert window.parts.filters_installed
        return window

    yield make
    for window in made:
        close(window)
    QApplication.processEvents()


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()
