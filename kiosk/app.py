"""The composition root: config, store, window, event filters, and their wiring.

The only module outside ``ui/`` that imports PySide6. Two entry points:

* :func:`build` builds the whole app in-process and returns the main window
  without running the event loop: the one call tests and tools use
  (``kiosk.app.build(config_path, data_dir)``, see docs/ui-map.md).
* :func:`run_gui` makes the QApplication, shows the window fullscreen (or
  windowed), runs the loop and returns an exit code.

Signals are connected in one place, :func:`_connect_signals` (staff and sync in
their own section, :func:`_wire_staff` and :func:`_wire_sync`). To keep cold
start close to a bare window's, the store is opened (and a crashed drawing's
draft recovered) just after the first paint (:class:`StoreSlot`), and
``requests`` and ``qrcode`` are imported only then; the sync worker starts then too.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.config import Config, ConfigError, find_config, load_config
from kiosk.core.paths import APP_NAME, resolve_data_dir
from ui.common import theme
from ui.common.i18n import Language
from ui.shell.idle import IdleWatcher
from ui.shell.lock import KioskLock
from ui.shell.main_window import HOME, MainWindow
from ui.shell.attract import AttractScreen
from ui.common.screen import Screen, ScreenContext
from ui.shell.lazy import LazyScreen, lazy
from ui.staff.host import StaffHostScreen
from ui.shell.staff_gesture import StaffGesture

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

HEADLESS_HINT = ("kiosk: no display found (DISPLAY and WAYLAND_DISPLAY are unset); to run without a "
                 "screen use QT_QPA_PLATFORM=offscreen kiosk run, or xvfb-run kiosk run")


# ---------------------------------------------------------------- the store, behind a small interface


class StoreLike(Protocol):
    """What the shell needs of ``kiosk.core.storage.Store``.

    The flows also call ``add(sub)``; draft recovery ``get``, ``add_notice``, ``withhold``.
    """

    notices: list[Any]

    def can_accept(self) -> bool: ...
    def stats(self) -> Any: ...
    def close(self) -> None: ...


@dataclass
class _MissingStore:
    """Stands in when ``kiosk.core.storage`` cannot be imported: refuses, and tells staff why."""

    reason: str
    notices: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.notices.append(f"storage unavailable: {self.reason}")

    def can_accept(self) -> bool:
        return False

    def stats(self) -> Any:
        return {}

    def close(self) -> None:
        pass


def _open_store(data_dir: Path, config: Config) -> StoreLike:
    """The store, or a stand-in that refuses contributions and tells staff why.

    A store that cannot be opened (a database from a newer kiosk, a read-only
    or vanished data dir) must not stop the kiosk with a traceback and the
    desktop showing: visitors get the "unavailable" screen, staff the reason.
    A damaged database is not this case: the store moves it aside itself.
    """
    try:
        from kiosk.core.storage import Store, StoreError  # noqa: PLC0415
    except ImportError as exc:
        log.error("kiosk.core.storage not importable: %s", exc)
        return _MissingStore(str(exc))
    try:
        return Store.open_in(data_dir, min_free_bytes=config.storage.min_free_mb * 1_000_000)  # as kiosk.cli
    except (StoreError, OSError) as exc:
        log.error("cannot open the store in %s: %s", data_dir, exc)
        return _MissingStore(f"cannot open the store in {data_dir}: {exc}")


class StoreSlot:
    """The kiosk's store, opened on the GUI thread when it is first needed.

    build() does not open it: checking and migrating the database (SQLite's
    quick_check reads the whole file) would come before the first paint. The
    app opens it just after the first paint (:func:`_open_store_after_paint`),
    and anything that needs it sooner opens it there and then:
    ``window.parts.store``, any attribute of the slot (screens get the slot as
    ``ctx.store``; ``slot.add(sub)`` is ``store.add(sub)``), and leaving the
    attract screen for any other (:func:`_connect_signals`), so no flow, no
    staff panel and no worker thread ever runs before it is open. Opening
    includes :func:`recover_drawing_draft`, so a draft left by a crash is in
    the store before the drawing screen can write or clear its own.

    A store that cannot be opened becomes a :class:`_MissingStore`, as before
    (visitors get the "unavailable" screen, staff the reason); so does one
    whose opening fails unexpectedly, now that it happens in the event loop.

    Args:
        store: an already open store (``build(store=...)``); only the draft
            recovery is left to do.
    """

    def __init__(self, data_dir: Path, config: Config, store: StoreLike | None = None) -> None:
        self.data_dir = data_dir
        self.config = config
        self._store = store
        self._ready = False

    @property
    def ready(self) -> bool:
        """Opened and the draft recovered."""
        return self._ready

    def open(self) -> StoreLike:
        """The store, opened now (GUI thread) if it was not yet."""
        if not self._ready:
            if self._store is None:
                try:
                    self._store = _open_store(self.data_dir, self.config)
                except Exception as exc:  # noqa: BLE001 - in the event loop: refuse, tell staff
                    log.exception("opening the store in %s failed", self.data_dir)
                    self._store = _MissingStore(f"cannot open the store in {self.data_dir}: {exc}")
            recover_drawing_draft(self.data_dir, self._store)
            self._ready = True
        return self._store  # type: ignore[return-value]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.open(), name)

    def open_for_worker(self) -> Any:
        """Another connection to the store for a worker thread (an SQLite connection belongs
        to its thread); see :func:`store_factory`. Called on that thread, so it never opens
        the GUI thread's store: by the time a worker needs one, that is open (see above).

        Raises:
            RuntimeError: it is not (a DrawingSaver reports this as a failed save).
        """
        if not self._ready:
            raise RuntimeError("the store is not open yet")
        return store_factory(self._store)()  # type: ignore[arg-type]

    def close(self) -> None:
        """Close the store if it was opened (or given); never opens it just to close it."""
        if self._store is not None:
            self._store.close()


@dataclass
class _Borrowed:
    """A store handed to a worker thread that must not close it (a store passed into build())."""

    store: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def close(self) -> None:
        pass


def store_factory(store: StoreLike) -> Callable[[], Any]:
    """Opens another connection to ``store`` for a worker thread (SQLite connections are per thread).

    A ``kiosk.core.storage.Store`` is opened again on its file with its reserve; any other
    object (a test's fake) is shared, and not closed by the worker.
    """
    path = getattr(store, "path", None)
    if path is not None and hasattr(type(store), "open_in"):
        return partial(type(store), path, min_free_bytes=getattr(store, "min_free_bytes", 0))
    return partial(_Borrowed, store)


def recover_drawing_draft(data_dir: Path, store: StoreLike) -> None:
    """A drawing left by a crash goes into the store as unfinished, before any visitor draws
    (:meth:`StoreSlot.open` runs it)."""
    from kiosk.core.drafts import recover_draft  # noqa: PLC0415

    try:
        sub = recover_draft(data_dir, store)  # type: ignore[arg-type]
    except Exception:  # the kiosk must start; the draft stays on disk for the next try
        log.exception("could not recover the drawing draft in %s", data_dir)
        return
    if sub is not None:
        log.warning("recovered an unfinished drawing %s left by a crash", sub.id)


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
    """Staff chose "restart": run_gui returns :data:`EXIT_RESTART`."""

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
        screen.finished.connect(window.go_home)
        screen.contributed.connect(parts.wake_sync)  # an idea or a drawing was committed: deliver soon
        window.closed.connect(screen.shutdown)
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


EXIT_RESTART = 3
"""run_gui's exit code when staff chose "restart": ``kiosk run`` re-executes itself
(:func:`restart_process`); a service manager can also restart on it
(systemd: ``RestartForceExitStatus=3``)."""

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
    """PIN → staff panel; close → attract, exit → leave the kiosk, restart → EXIT_RESTART."""
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


def restart_process() -> None:
    """Replace this process with a fresh run of the same command line (``kiosk run``'s restart)."""
    argv = [sys.executable, *sys.orig_argv[1:]]
    log.info("restarting: %s", " ".join(argv))
    for handler in logging.getLogger().handlers:  # exec drops unwritten buffers
        handler.flush()
    os.execv(sys.executable, argv)


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


# ---------------------------------------------------------------- running


def has_display(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> bool:
    """False where Qt would abort for want of a display (Linux without X, Wayland or a QPA choice)."""
    if not platform.startswith("linux"):
        return True
    return any(environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_gui(config: str | Path | Config | None, data_dir: str | Path | None, *, windowed: bool = False,
            quit_after_s: float | None = None) -> int:
    """Run the kiosk until staff exit it. Returns the process exit code.

    :data:`EXIT_RESTART` means staff chose "restart" (the caller re-runs or re-executes).
    ``quit_after_s``: leave like "exit kiosk" after that many seconds (smoke runs).
    """
    if not has_display():
        print(HEADLESS_HINT, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    try:
        window = build(config, data_dir, windowed=windowed)
    except ConfigError as exc:
        print("kiosk: the configuration has problems, not starting:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kiosk: cannot start: {exc}", file=sys.stderr)
        return 1
    import signal  # noqa: PLC0415 - not needed to build (or paint)

    # SIGTERM (systemd stop) and Ctrl+C leave like "Exit kiosk"; the timer lets Python run handlers.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: window.exit_kiosk())
    heartbeat = QTimer(window)
    heartbeat.start(300)
    heartbeat.timeout.connect(lambda: None)
    if quit_after_s is not None:
        QTimer.singleShot(int(quit_after_s * 1000), window.exit_kiosk)
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        window.showFullScreen()
    code = int(app.exec())
    dispose(window.parts)
    return EXIT_RESTART if window.parts.restart else code
