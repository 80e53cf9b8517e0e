"""Fixtures every folder shares: the config, a data dir and the real store, a real receiver
on 127.0.0.1, and the whole app built as ``kiosk.app.build`` builds it. Each folder's own
conftest adds what only it needs.

Qt runs offscreen: no display is needed, the QApplication is real. Qt is imported only
by the fixtures that build windows, so the core's tests run without it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fakes import FakeStore  # noqa: E402
from kiosk.core.config import BUNDLED_CONFIG, Config, IdleConfig, load_config  # noqa: E402
from kiosk.core.storage import Store  # noqa: E402
from sync.protocol import Limits  # noqa: E402
from sync_helpers import KIOSK_ID, STAFF_PASSWORD  # noqa: E402

FAST_IDLE = IdleConfig(timeout_s=0.5, countdown_s=1.0, drawing_timeout_s=1.5, thanks_timeout_s=0.5)
"""Fast enough for tests, slow enough that two cores under load still see the order."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot pass a top-level window's size hints on
    (the lazily built flows change them); harmless, and not a warning on a real display."""
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(scope="session")
def jena_config() -> Config:
    """The bundled kiosk.toml: the Smart City-Fest of the City of Jena."""
    return load_config(BUNDLED_CONFIG)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A kiosk's data dir, empty."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """The real store in ``data_dir``, closed afterwards."""
    with Store.open_in(data_dir) as s:
        yield s


@pytest.fixture
def receiver_dir(tmp_path: Path) -> Path:
    """A receiver's data dir, empty."""
    d = tmp_path / "receiver"
    d.mkdir()
    return d


@pytest.fixture
def kiosk_id() -> str:
    """The kiosk the receiver's token belongs to (override it where submissions come from another)."""
    return KIOSK_ID


@pytest.fixture
def token(receiver_dir: Path, kiosk_id: str) -> str:
    """A fresh token of ``kiosk_id`` at the receiver."""
    from sync.receiver import add_token

    return add_token(receiver_dir, kiosk_id)


@pytest.fixture
def receiver_limits() -> Limits:
    return Limits()


@pytest.fixture
def receiver(receiver_dir: Path, token: str, receiver_limits: Limits):  # noqa: ANN201 - ReceiverThread
    """A real receiver on 127.0.0.1 (a thread of this process), stopped afterwards."""
    from sync.receiver import ReceiverSettings, ReceiverThread

    with ReceiverThread(ReceiverSettings(receiver_dir, receiver_limits)) as r:
        yield r


@pytest.fixture
def staff_password(receiver_dir: Path) -> str:
    """The password of the receiver's staff web app account ``staff`` (sync_helpers.STAFF_NAME), added
    (argon2: slow on purpose, so only where needed). Sign in with sync_helpers.staff_session."""
    from sync.receiver.web.accounts import add_account

    add_account(receiver_dir, "staff", "staff", STAFF_PASSWORD)
    return STAFF_PASSWORD


@pytest.fixture
def api(receiver, token: str):  # noqa: ANN001, ANN201 - a requests.Session
    """A requests session that talks to the receiver as the test kiosk."""
    import requests

    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    s.base = receiver.url + "/api/v1"  # type: ignore[attr-defined]
    yield s
    s.close()


# ---------------------------------------------------------------- the app, built


@pytest.fixture
def fake_store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def make_window(qtbot, jena_config: Config, fake_store: FakeStore, tmp_path: Path
                ) -> Iterator[Callable[..., Any]]:
    """Build the real app (fast idle timers, the fake store), show it, and close it afterwards
    with ``kiosk.app.close``, the one teardown every test that builds a window uses."""
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build, close, finish_building

    made = []

    def make(config: Config | None = None, *, size: tuple[int, int] = (1280, 720), **replace: Any):  # noqa: ANN202
        cfg = dataclasses.replace(config or jena_config, **{"idle": FAST_IDLE, **replace})
        window = build(cfg, tmp_path / "data", windowed=True, store=fake_store)
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
def window(make_window):  # noqa: ANN001, ANN201 - a MainWindow
    return make_window()


@pytest.fixture
def decode_qr():  # noqa: ANN201 - Callable[[QWidget], list[str]]
    """Decode every QR code in a grab of a widget with a real decoder (zxing-cpp)."""
    import zxingcpp
    from PySide6.QtGui import QImage

    def decode(widget) -> list[str]:  # noqa: ANN001
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
        return [r.text for r in zxingcpp.read_barcodes(image)]

    return decode
