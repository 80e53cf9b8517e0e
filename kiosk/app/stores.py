"""The kiosk's store as the shell sees it: opened after the first paint, or a stand-in
that refuses contributions (and tells staff why) when it cannot be opened.

Nothing here imports Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.config import Config

log = logging.getLogger("kiosk.app")


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


