"""The composition root: config, store, window, event filters, and their wiring.

:func:`build` builds the whole app in-process and returns the main window
without running the event loop: the one call tests and tools use
(``kiosk.app.build(config_path, data_dir)``, see docs/ui-map.md);
:func:`kiosk.app.run.run_gui` shows it and runs the loop.

Signals are connected in one place, :func:`_connect_signals` (staff and sync in
their own section, :func:`_wire_staff` and :func:`_wire_sync`). To keep cold
start close to a bare window's, the store is opened (and a crashed drawing's
draft recovered) just after the first paint (:class:`~kiosk.app.stores.StoreSlot`),
and ``requests`` and ``qrcode`` are imported only then; the sync worker starts then too.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app.stores import StoreLike, StoreSlot, store_factory
from kiosk.core.catalogue import Catalogues
from kiosk.core.config import Config, find_config, load_config
from kiosk.core.paths import APP_NAME, resolve_data_dir
from ui.common import theme
from ui.common import i18n
from ui.common.i18n import Language
from ui.common.screen import Screen, ScreenContext
from ui.shell.attract import AttractScreen
from ui.shell.idle import IdleWatcher
from ui.shell.lazy import LazyScreen, lazy
from ui.shell.lock import KioskLock
from ui.shell.main_window import HOME, MainWindow
from ui.shell.staff_gesture import StaffGesture
from ui.staff.host import StaffHostScreen

if TYPE_CHECKING:
    from ui.common.sync_bridge import SyncBridge
    from ui.shell.pin_pad import PinPad

log = logging.getLogger("kiosk.app")

SCREENS: tuple[Callable[[ScreenContext], Screen], ...] = (
    AttractScreen,
    # the flows, and the message they give way to when the store refuses, are imported
    # and built after the attract screen has painted
    lazy("ui.ideas.screen:IdeasScreen", "ideas"),
    lazy("ui.drawing.studio:DrawScreen", "drawing", idle_kind="drawing"),
    lazy("ui.shell.unavailable:UnavailableScreen", "unavailable"),
)
"""The screen registry: adding a screen is one module in its product's folder under ui/ and one line here.

The staff screen is not here: it needs the store and the sync adapter, see :func:`_add_staff`."""

LAZY_AFTER_PAINT = ("qrcode", "requests")

CATALOGUE_CACHE = "cache"
"""The folder in the data dir where parsed message catalogues are kept between starts."""


# ---------------------------------------------------------------- building


@dataclass
class Parts:
    """Everything build() made, kept on the window as ``window.parts``."""

    app: QApplication
    config: Config
    data_dir: Path
    stores: StoreSlot
    language: Language
    idle: IdleWatcher
    lock: KioskLock
    gesture: StaffGesture
    window: MainWindow = field(repr=False)
    cursor_hidden: bool = False
    filters_installed: bool = False
    disposed: bool = False
    _sync: SyncBridge | None = field(default=None, repr=False)
    restart: bool = False
    """Staff chose "restart": run_gui returns :data:`kiosk.app.run.EXIT_RESTART`."""

    @property
    def store(self) -> StoreLike:
        """The store, opened now if it was not yet (see :class:`StoreSlot`)."""
        return self.stores.open()

    @property
    def sync(self) -> SyncBridge:
        """The sync worker's Qt adapter; disabled (no-op) unless ``[sync] enabled``.

        Made by build() when sync is on (the attract screen shows its state from
        the first paint), otherwise when first asked for: a disabled bridge is
        not needed to paint. :meth:`wake_sync` is the hook to call when a
        submission was committed (see :func:`_wire_sync`).
        """
        if self._sync is None:
            self._sync = _make_sync(self.config, self.data_dir)
            if not self.disposed:  # the window may be gone
                self._sync.setParent(self.window)
        return self._sync

    def wake_sync(self, *_: object) -> None:
        """A submission was committed: deliver soon. Accepts and ignores signal arguments.
        Makes no bridge: one not made yet is a disabled one, with nothing to wake."""
        if self._sync is not None:
            self._sync.wake()

    def stop_sync(self, timeout: float) -> None:
        """Stop and join the sync worker, if there is a bridge (none is made just to be stopped)."""
        if self._sync is not None:
            self._sync.stop(timeout=timeout)

    @property
    def pin_pad(self) -> PinPad:
        """The staff PIN pad, built now if it was not yet (see :func:`_make_pin_pad`)."""
        return self.window.pin_pad  # type: ignore[return-value]

    def install_filters(self) -> None:
        """Install the app-wide filters (kiosk lock, idle, staff gesture) once.

        build() does this on the window's first paint: before it nobody can see
        or touch anything, and cold start stays free of a Python call per event.
        """
        if self.filters_installed or self.disposed:
            return
        self.filters_installed = True
        for event_filter in (self.lock, self.idle, self.gesture):
            self.app.installEventFilter(event_filter)


def build(config_path: str | Path | Config | None = None, data_dir: str | Path | None = None, *,
          windowed: bool = False, store: StoreLike | None = None) -> MainWindow:
    """Build the whole kiosk in-process and return its main window, not yet shown.

    Args:
        config_path: a kiosk.toml (None: the usual lookup), or a loaded Config.
        data_dir: where the store lives (None: $KIOSK_DATA_DIR, config, platform default).
        windowed: a normal window for development instead of frameless fullscreen.
        store: an object with the StoreLike interface, instead of opening one.

    Raises:
        ConfigError: the configuration is broken (every problem listed).
    """
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    config = config_path if isinstance(config_path, Config) else load_config(find_config(
        str(config_path) if config_path else None))
    data = resolve_data_dir(str(data_dir) if data_dir else None, config)
    stores = StoreSlot(data, config, store)  # opened after the first paint, or when first needed

    theme.load_fonts()
    app.setFont(theme.base_font())
    i18n.install(Catalogues(config.locale_dirs, fallback=config.kiosk.default_language,
                             cache_dir=data / CATALOGUE_CACHE))
    language = Language(config.kiosk.languages, config.kiosk.default_language)
    idle = IdleWatcher()
    window = MainWindow(config, language, idle, windowed=windowed,
                        stylesheet=partial(theme.stylesheet, config.branding))
    idle.setParent(window)
    ctx = ScreenContext(config=config, language=language,
                        store=stores, open_store=stores.open_for_worker, data_dir=data)
    for make in SCREENS:
        window.add_screen(make(ctx))

    window.set_pin_pad(partial(_make_pin_pad, window, config, language))  # built after the first paint
    lock = KioskLock(window)
    gesture = StaffGesture(window, config.staff.corner, config.staff.taps, config.staff.tap_window_s)
    parts = Parts(app=app, config=config, data_dir=data, stores=stores, language=language, idle=idle,
                  lock=lock, gesture=gesture, window=window)
    window.parts = parts  # type: ignore[attr-defined]

    if config.kiosk.hide_cursor:
        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        parts.cursor_hidden = True
    _add_staff(window, parts, ctx)
    _connect_signals(window, parts)
    window.go_home()
    return window


def _make_pin_pad(window: MainWindow, config: Config, language: Language) -> PinPad:
    """The staff PIN pad; ``window.pin_pad`` calls this when first asked (see :func:`_deferred`)."""
    from ui.shell.pin_pad import PinPad  # noqa: PLC0415 - not needed to paint

    def verify(pin: str) -> bool:
        from kiosk.core.pin import verify_pin  # noqa: PLC0415 - argon2 is not needed to paint

        return verify_pin(config.staff.pin_hash, pin)

    def lockout(failures: int) -> float:
        from kiosk.core.pin import lockout_delay  # noqa: PLC0415

        return lockout_delay(failures)

    pad = PinPad(window, language, verify, lockout, icon_color=theme.Palette.from_branding(config.branding).text)
    _wire_pin_pad(window, pad)
    return pad


def _connect_signals(window: MainWindow, parts: Parts) -> None:
    """Every connection between the pieces, grouped by topic."""
    screens = window.screens
    attract = screens["attract"]
    # navigation
    attract.flow_chosen.connect(partial(_open_flow, window, parts))
    for screen in screens.values():
        screen.finished.connect(window.reset_session)  # a visitor done or gone: the next one starts afresh
        screen.contributed.connect(parts.wake_sync)  # an idea or a drawing was committed: deliver soon
        window.closed.connect(screen.shutdown)
    attract.reach_toggled.connect(window.set_reach)  # within reach on a tall portrait screen
    # language
    attract.language_chosen.connect(parts.language.set)
    parts.language.changed.connect(window.retranslate)
    # idle
    parts.idle.idle.connect(window.prompt_idle)
    parts.idle.resumed.connect(window.resume_session)  # the overlay's own buttons: MainWindow.idle_overlay
    # staff
    parts.gesture.triggered.connect(window.open_pin_pad)  # and the pad itself: _wire_pin_pad
    window.screen_changed.connect(_gesture_follows(parts.gesture))
    # the store: opened just after the first paint, and at the latest when a visitor (or staff)
    # leaves the attract screen, before anything on the new screen can use it or a draft
    window.screen_changed.connect(partial(_store_off_home, parts.stores))
    # lifecycle
    window.first_painted.connect(parts.install_filters)
    window.first_painted.connect(partial(QTimer.singleShot, 0, partial(_open_store_after_paint, parts)))
    window.first_painted.connect(partial(QTimer.singleShot, 0, _after_first_paint))
    window.first_painted.connect(partial(QTimer.singleShot, 0, partial(_build_deferred, window)))
    window.closed.connect(partial(dispose, parts))
    # staff panel and sync: their own section below
    _wire_staff(window, parts)
    _wire_sync(window, parts)


def _store_off_home(stores: StoreSlot, name: str) -> None:
    if name != HOME:
        stores.open()


def _open_store_after_paint(parts: Parts) -> None:
    """Open the store now that the visitor sees the attract screen; then start the sync worker.

    The worker opens its own connection to the same file: only after this one,
    which moves a damaged database aside (two connections must not both try).
    """
    if parts.disposed:
        return
    parts.stores.open()
    if parts.config.sync.enabled:
        QTimer.singleShot(0, parts.sync.start)  # imports requests: a turn of its own


def _wire_pin_pad(window: MainWindow, pad: PinPad) -> None:
    """The right PIN → the staff screen; cancel → the window re-reads the idle timeout."""
    pad.accepted.connect(partial(window.show_screen, "staff"))
    pad.cancelled.connect(window.pin_pad_closed)


def _open_flow(window: MainWindow, parts: Parts, flow: str) -> None:
    try:
        accepting = parts.store.can_accept()
    except Exception:
        log.exception("store.can_accept failed")
        accepting = False
    window.show_screen(flow if accepting else "unavailable")


def _deferred(window: MainWindow) -> list[Callable[[], object]]:
    """What build() left unbuilt until after the first paint, in the order it is built:
    the lazy screens, the PIN pad, the "still there?" overlay. Each also builds when first needed."""
    todo: list[Callable[[], object]] = [
        s.ensure for s in window.screens.values() if isinstance(s, LazyScreen) and not s.built]
    if not window.pin_pad_built:
        todo.append(lambda: window.pin_pad)
    if not window.idle_overlay_built:
        todo.append(lambda: window.idle_overlay)
    return todo


def _build_deferred(window: MainWindow) -> None:
    """Build what :func:`_deferred` lists one per event-loop turn, so a tap on the attract
    screen is never kept waiting."""
    todo = _deferred(window)
    if todo:
        todo[0]()
        QTimer.singleShot(0, partial(_build_deferred, window))


def finish_building(window: MainWindow) -> MainWindow:
    """Open the store and build everything build() deferred until after the first paint,
    as the running app does just after it; for tools and tests."""
    window.parts.stores.open()  # type: ignore[attr-defined]
    for make in _deferred(window):
        make()
    return window


def _gesture_follows(gesture: StaffGesture) -> Callable[[str], None]:
    def on_screen(name: str) -> None:
        gesture.enabled = name != "staff"  # already in: taps there are just taps
    return on_screen


def _after_first_paint() -> None:
    """Warm the modules kept out of cold start, now that the visitor sees a screen."""
    for name in LAZY_AFTER_PAINT:
        try:
            importlib.import_module(name)
        except ImportError:
            log.warning("optional module %s is not installed", name)


# ---------------------------------------------------------------- staff panel and sync


SYNC_STOP_TIMEOUT_S = 10.0
"""How long closing the window waits for the sync worker's call in flight."""


def _make_sync(config: Config, data_dir: Path) -> SyncBridge:
    """The sync adapter: a worker factory when ``[sync] enabled``, else a disabled (no-op) bridge.

    Nothing of ``sync`` (and so ``requests``) is imported here: the factory runs
    in :meth:`SyncBridge.start`, after the first paint.
    """
    from ui.common.sync_bridge import SyncBridge  # noqa: PLC0415 - with sync off, not needed to paint

    if not config.sync.enabled:
        return SyncBridge(None)

    def make_worker(**callbacks: Any) -> Any:
        from sync.worker import SyncWorker  # noqa: PLC0415 - imports requests: after the first paint

        return SyncWorker.from_config(config.sync, data_dir,
                                      min_free_bytes=config.storage.min_free_mb * 1_000_000, **callbacks)

    return SyncBridge(make_worker)


def _add_staff(window: MainWindow, parts: Parts, ctx: ScreenContext) -> None:
    """Make the staff screen (the panel itself is built on first entry)."""
    window.add_screen(StaffHostScreen(ctx, partial(_make_staff_panel, parts)))


def _make_staff_panel(parts: Parts, lang: str) -> QWidget:
    from ui.staff.panel import StaffPanel  # noqa: PLC0415 - staff only, never on cold start

    sync = parts.sync if parts.config.sync.enabled else None
    panel = StaffPanel(parts.store, parts.config, sync=sync, lang=lang,
                       store_factory=store_factory(parts.store),  # the workers' stores keep the reserve
                       client_factory=partial(_receiver_client, parts.config, parts.data_dir))
    for screen in panel.screens.values():
        screen.changed.connect(parts.wake_sync)  # released, retried: deliver soon
    return panel


def _receiver_client(config: Config, data_dir: Path) -> Any:
    """The panel's "test connection" and reconcile client, with the token file found
    where the sync worker finds it (a relative path is inside the data dir)."""
    from kiosk.core.reconcile import ReceiverClient  # noqa: PLC0415
    from sync.client import resolve_token_file  # noqa: PLC0415

    token_file = str(resolve_token_file(config.sync.token_file, data_dir)) if config.sync.token_file else ""
    return ReceiverClient.from_config(replace(config, sync=replace(config.sync, token_file=token_file)))


def _wire_staff(window: MainWindow, parts: Parts) -> None:
    """PIN → staff panel; close → attract, exit → leave the kiosk, restart → EXIT_RESTART (kiosk.app.run)."""
    staff = window.screens["staff"]
    staff.exit_requested.connect(window.exit_kiosk)
    staff.restart_requested.connect(partial(_restart, window, parts))


def _restart(window: MainWindow, parts: Parts) -> None:
    parts.restart = True
    window.exit_kiosk()


def _wire_sync(window: MainWindow, parts: Parts) -> None:
    """The worker starts after the first paint; the attract indicator follows its status.

    The flows wake it when they committed a submission: connect their
    ``submitted(id)`` / ``saved(submission)`` signals to ``parts.wake_sync``.
    The worker is stopped (joined) in :func:`dispose`.
    """
    if not parts.config.sync.enabled:
        return  # the attract screen's indicator stays hidden, and nothing will change that
    bridge = parts.sync
    attract = window.screens["attract"]
    attract.set_sync(bridge.snapshot())
    bridge.status_changed.connect(attract.set_sync)
    # started by _open_store_after_paint, once the GUI thread's store is open


def dispose(parts: Parts) -> None:
    """Undo build(): remove the app-wide filters, restore the cursor, close the store."""
    if parts.disposed:
        return
    parts.disposed = True
    if parts.filters_installed:
        for event_filter in (parts.lock, parts.idle, parts.gesture):
            parts.app.removeEventFilter(event_filter)
    if parts.cursor_hidden:
        parts.app.restoreOverrideCursor()
    parts.stop_sync(SYNC_STOP_TIMEOUT_S)  # join the worker: no thread outlives the window
    try:
        parts.stores.close()  # not opened just to be closed
    except Exception:
        log.exception("closing the store failed")


def close(window: MainWindow) -> None:
    """Leave the kiosk and undo :func:`build`: for tests and tools done with a window they built
    (``run`` instead lets the event loop end, then disposes)."""
    window.exit_kiosk()
    dispose(window.parts)
    window.deleteLater()


