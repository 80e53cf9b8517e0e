"""Screens that are built after the first paint, so cold start stays close to a bare window's.

The ideas flow (seven steps, two keyboards) and the drawing studio (canvas,
thirty-odd icon buttons, a saver thread) cost several times a bare window's
start. :func:`lazy` registers such a screen under its own name with a light
stand-in; the real screen is built by :meth:`LazyScreen.ensure`, which the
app calls once the attract screen has painted (one screen per event-loop
turn) and which entering the screen calls anyway. Until then nothing of it
exists, so there is nothing to reset, retranslate or shut down.

Attributes the stand-in does not have are looked up on the real screen
(building it if need be): ``window.screens["drawing"].canvas`` works.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from PySide6.QtWidgets import QVBoxLayout

from ui.common.screen import Screen, ScreenContext


class LazyScreen(Screen):
    """Holds the place of ``target`` in the window's stack until it is needed."""

    target: ClassVar[str]
    """``"package.module:ClassName"`` of the real screen, imported only when it is built."""

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.setObjectName(f"{self.name}_slot")  # the real screen carries the name
        self.inner: Screen | None = None
        self._portrait = False
        self._reach = False
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self.inner is not None

    def ensure(self) -> Screen:
        """The real screen, built now if it was not yet."""
        if self.inner is None:
            from ui.shell.main_window import touch_focus  # noqa: PLC0415 - main_window imports the screens' base

            module, _, cls = self.target.partition(":")
            inner = getattr(importlib.import_module(module), cls)(self.ctx)
            inner.finished.connect(self.finished)
            inner.idle_timeout_changed.connect(self.idle_timeout_changed)
            inner.contributed.connect(self.contributed)
            self._box.addWidget(inner)
            self.inner = inner
            inner.set_portrait(self._portrait)
            inner.set_reach(self._reach)
            inner.retranslate()
            touch_focus(inner)
        return self.inner

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("inner", "target"):
            raise AttributeError(name)
        return getattr(self.ensure(), name)

    # ---- the Screen interface, passed on once built

    def idle_timeout(self) -> float | None:
        return self.inner.idle_timeout() if self.inner is not None else super().idle_timeout()

    def entered(self) -> None:
        self.ensure().entered()

    def reset(self) -> None:
        if self.inner is not None:
            self.inner.reset()
        super().reset()

    def retranslate(self) -> None:
        if self.inner is not None:
            self.inner.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        self._portrait = portrait
        if self.inner is not None:
            self.inner.set_portrait(portrait)

    def apply_reach(self, on: bool) -> None:
        self._reach = on
        if self.inner is not None:
            self.inner.set_reach(on)

    def shutdown(self) -> None:
        if self.inner is not None:
            self.inner.shutdown()


def lazy(target: str, name: str, idle_kind: str | None = "default") -> type[LazyScreen]:
    """A registry entry for the screen ``"module:Class"``, registered as ``name``.

    Even its module is imported only when the screen is built: importing the
    drawing studio alone costs about half a bare window's start.
    """
    cls = target.partition(":")[2]
    return type(f"Lazy{cls}", (LazyScreen,),
                {"name": name, "idle_kind": idle_kind, "target": target,
                 "__doc__": f"{cls}, built after the first paint."})
