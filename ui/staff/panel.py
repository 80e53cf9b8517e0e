"""The staff panel: a navigation rail and the staff screens, behind the PIN.

Build it with the store, the config and (optionally) the sync adapter; it
stands alone, so tests and the screenshot script drive it without the shell::

    panel = StaffPanel(store, config, sync=adapter, lang="de")
    panel.close_requested.connect(show_attract)
    panel.exit_requested.connect(app.quit)

Signals:
    close_requested: back to the visitor screens.
    exit_requested / restart_requested: from the System screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout,
                               QWidget)

from kiosk.core.drives import removable_drives
from ui.staff.pages.browse import BrowseScreen
from ui.common.i18n import language_name, tr
from ui.staff.common import StaffScreen, SyncSource, button
from ui.common.screen import label
from ui.staff.pages.export import ExportScreen
from ui.staff.pages.moderate import ModerateScreen
from ui.staff.pages.overview import OverviewScreen
from ui.staff.pages.sync import SyncScreen
from ui.staff.pages.system import SystemScreen

PAGES = ("overview", "sync", "browse", "moderate", "export", "system")


class StaffPanel(QWidget):
    """Signals (besides the module's): busy_changed: a job started or ended (see :meth:`busy`)."""

    close_requested = Signal()
    busy_changed = Signal()
    exit_requested = Signal()
    restart_requested = Signal()

    def __init__(self, store: Any, config: Any, sync: SyncSource | None = None, lang: str = "de",
                 store_factory: Callable[[], Any] | None = None, client_factory: Callable[[], Any] | None = None,
                 drives: Callable[[], list] = removable_drives) -> None:
        super().__init__()
        self.setObjectName("staff_panel")
        self.lang = lang
        factory = store_factory or (
            lambda: type(store)(store.path, min_free_bytes=getattr(store, "min_free_bytes", 0)))
        self.screens: dict[str, StaffScreen] = {
            "overview": OverviewScreen(store, config, sync, lang),
            "sync": SyncScreen(store, sync, lang),
            "browse": BrowseScreen(store, config, lang),
            "moderate": ModerateScreen(store, config, lang),
            "export": ExportScreen(factory, config, lang, drives),
            "system": SystemScreen(factory, config, lang, client_factory),
        }
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        nav = QFrame()
        nav.setObjectName("staff_nav")
        nav.setFixedWidth(340)
        nl = QVBoxLayout(nav)
        nl.setContentsMargins(16, 28, 16, 28)
        nl.setSpacing(8)
        self.title = label(name="staff_panel_title")
        nl.addWidget(self.title)
        nl.addSpacing(20)
        self.nav_buttons = {}
        group = QButtonGroup(self)
        for page in PAGES:
            b = button(f"staff_nav_{page}")
            b.setCheckable(True)
            group.addButton(b)
            nl.addWidget(b)
            b.clicked.connect(lambda _c=False, p=page: self.show_page(p))
            self.nav_buttons[page] = b
        nl.addStretch(1)
        self.lang_button = button("staff_lang_toggle")
        self.languages = tuple(config.kiosk.languages)
        self.lang_button.clicked.connect(lambda: self.set_language(self.next_language()))
        nl.addWidget(self.lang_button)
        self.close_button = button("staff_close")
        self.close_button.clicked.connect(self.close_requested)
        nl.addWidget(self.close_button)
        lay.addWidget(nav)
        self.stack = QStackedWidget()
        self.stack.setObjectName("staff_stack")
        for page in PAGES:
            # the stack must not take the widest page's minimum: each page fits the width it gets
            self.screens[page].setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.stack.addWidget(self.screens[page])
            self.screens[page].changed.connect(self._data_changed)
            self.screens[page].busy_changed.connect(self.busy_changed)
        lay.addWidget(self.stack, 1)
        system = self.screens["system"]
        system.exit_requested.connect(self.exit_requested)
        system.restart_requested.connect(self.restart_requested)
        self._texts()
        self.show_page("overview")

    def _texts(self) -> None:
        self.title.setText(tr("panel.panel_title", self.lang))
        for page, b in self.nav_buttons.items():
            b.setText(tr(f"panel.nav_{page}", self.lang))
            b.setAccessibleName(b.text())
        self.lang_button.setText(language_name(self.next_language()))
        self.lang_button.setAccessibleName(tr("language.choose.a11y", self.next_language()))
        self.lang_button.setVisible(len(self.languages) > 1)
        self.close_button.setText(tr("panel.close_panel", self.lang))
        self.close_button.setAccessibleName(self.close_button.text())

    def next_language(self) -> str:
        """The language the toggle switches to: the next of the kiosk's languages."""
        if self.lang not in self.languages:
            return self.languages[0] if self.languages else self.lang
        return self.languages[(self.languages.index(self.lang) + 1) % len(self.languages)]

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self._texts()
        for screen in self.screens.values():
            screen.set_language(lang)

    def show_page(self, page: str) -> None:
        self.nav_buttons[page].setChecked(True)
        self.stack.setCurrentWidget(self.screens[page])
        self.screens[page].refresh()

    def busy(self) -> bool:
        """True while an export, sync, reconcile (or another staff job) runs on any page."""
        return any(screen.busy() for screen in self.screens.values())

    def current_page(self) -> str:
        return next(p for p, s in self.screens.items() if s is self.stack.currentWidget())

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        landscape = event.size().width() > event.size().height()
        for screen in self.screens.values():
            if hasattr(screen, "set_landscape"):
                screen.set_landscape(landscape)
        super().resizeEvent(event)

    def _data_changed(self) -> None:
        for page in ("overview", "sync", "browse", "moderate"):
            if self.screens[page] is not self.stack.currentWidget():
                self.screens[page].refresh()
