"""Neutral stand-ins for the ideas and drawing flows (issues 3 and 4 replace them).

They promise nothing that does not exist: the flow's name, a friendly pointer to
the team at the stand, and a way back.
"""

from __future__ import annotations

from ui.screens.message import MessageScreen


class IdeasPlaceholderScreen(MessageScreen):
    name = "ideas"
    icon_name = "mdi6.lightbulb-on-outline"

    def retranslate(self) -> None:
        self.set_texts(self.language.text(self.config.flows.ideas_label),
                       self.tr_("placeholder.ideas.body"), self.tr_("common.back_to_start"))


class DrawingPlaceholderScreen(MessageScreen):
    name = "drawing"
    idle_kind = "drawing"
    icon_name = "mdi6.palette-outline"

    def retranslate(self) -> None:
        self.set_texts(self.language.text(self.config.flows.drawing_label),
                       self.tr_("placeholder.drawing.body"), self.tr_("common.back_to_start"))
