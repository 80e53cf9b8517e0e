"""Shown instead of a flow when the store cannot take new contributions (disk reserve).

Friendly for the visitor; the reason is on the staff screen, not here.
"""

from __future__ import annotations

from ui.shell.message import MessageScreen


class UnavailableScreen(MessageScreen):
    name = "unavailable"
    icon_name = "mdi6.hand-wave-outline"

    def retranslate(self) -> None:
        self.set_texts(self.tr_("unavailable.title"), self.tr_("unavailable.body"),
                       self.tr_("common.back_to_start"))
