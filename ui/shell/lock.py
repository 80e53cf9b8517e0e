"""The kiosk lock: an application-wide filter that keeps visitors inside.

It swallows Escape, Alt+F4, Ctrl+Q and Ctrl+W (as key presses and as shortcut
overrides, so no shortcut bound to them can fire), every key held with Super
(the desktop's shortcuts: with no window manager to take Super+D it would type
a "d"), every context menu, and every drag or drop. Closing the window itself
is refused by the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

_E = QEvent.Type
_M = Qt.KeyboardModifier
BLOCKED_KEYS: frozenset[tuple[int, int]] = frozenset({
    (Qt.Key.Key_Escape.value, 0),
    (Qt.Key.Key_F4.value, _M.AltModifier.value),
    (Qt.Key.Key_Q.value, _M.ControlModifier.value),
    (Qt.Key.Key_W.value, _M.ControlModifier.value),
})
_MODS = (_M.ShiftModifier | _M.ControlModifier | _M.AltModifier | _M.MetaModifier).value
BLOCKED_EVENTS = frozenset({_E.ContextMenu, _E.DragEnter, _E.DragMove, _E.Drop})


def is_blocked_key(key: int, modifiers: int) -> bool:
    """Escape alone, Alt+F4, Ctrl+Q, Ctrl+W, anything with Super (pure, for tests)."""
    return bool(modifiers & _M.MetaModifier.value) or (key, modifiers & _MODS) in BLOCKED_KEYS


class KioskLock(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        t = event.type()
        if t in BLOCKED_EVENTS:
            event.ignore()
            return True
        if t in (_E.KeyPress, _E.KeyRelease, _E.ShortcutOverride) and isinstance(event, QKeyEvent):
            if is_blocked_key(event.key(), event.modifiers().value):
                event.accept()
                return True
        return False
