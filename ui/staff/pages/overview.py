"""Staff overview: how much was collected, per field of action and hour, sync state, disk, notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core import overview as ov
from ui.staff.reasons import reason_text, state_detail
from ui.common.i18n import tr
from ui.staff.common import SyncSnapshot, SyncSource, StaffScreen, button, card, human_bytes, scrolling_page
from ui.common.screen import label
from ui.common.theme import ChartColours
from ui.staff.charts import HBarChart, HourChart, Timeline


class FitBody(QWidget):
    """The scrolled page, sized to its *minimum* height for the width it gets.

    A scroll area that resizes its widget asks for the height-for-width, which a
    layout with word-wrapped labels answers with its preferred height: the page
    then scrolled as soon as the charts could not have their full size, and the
    bottom card fell off a 1920x1080 screen. With the minimum the page fills the
    screen, charts shrink towards their minimums first, and it scrolls only when
    even that does not fit (the scroll bar then shows).
    """

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        lay = self.layout()
        return lay.totalMinimumHeightForWidth(width) if lay is not None else super().heightForWidth(width)


class OverviewScreen(StaffScreen):
    """Counts read from the store on :meth:`refresh`; sync state from a :class:`SyncSource`.

    Args:
        store: the kiosk's :class:`~kiosk.core.storage.Store` (GUI thread).
        config: the kiosk's config (topic titles).
        sync: the sync adapter, or None when sync is off.
    """

    def __init__(self, store: Any, config: Any, sync: SyncSource | None = None, lang: str = "de",
                 load: Callable[[Any], ov.Overview] = ov.load_overview) -> None:
        super().__init__(lang)
        self.setObjectName("staff_overview")
        self.store, self.config, self.sync, self._load = store, config, sync, load
        self.data: ov.Overview | None = None

        body = FitBody()
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # a subclass: paint the QSS background
        # every pixel counts to fit 1920x1080 without scrolling
        lay = scrolling_page(self, body, margins=(40, 24), spacing=20)

        head = QHBoxLayout()
        head.addWidget(self.text(label(name="staff_overview_title", role="screen_title"), "panel.ov_title"), 1)
        self.refresh_button = self.text(button("staff_overview_refresh"), "panel.refresh")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        lay.addLayout(head)

        self.grid = QGridLayout()
        self.grid.setSpacing(20)
        lay.addLayout(self.grid)
        colours = ChartColours.from_branding(config.branding)
        self.counts_card = self._counts_card()
        self.sync_card = self._sync_card()
        topics, tl = card("staff_overview_topics_card")
        # The chart cards hold no word-wrapped label: a grid gives a height-for-width item its
        # preferred height as its minimum, and these cards must be able to shrink to fit.
        tl.addWidget(self.text(label(role="section", wrap=False), "panel.ov_by_topic"))
        self.topics_chart = HBarChart("staff_overview_topics_chart", colours=colours)
        tl.addWidget(self.topics_chart)
        tl.addWidget(self._legend())
        self.topics_card = topics
        hours, hl = card("staff_overview_hours_card")
        hl.addWidget(self.text(label(role="section", wrap=False), "panel.ov_by_hour"))
        self.hours_chart = HourChart("staff_overview_hours_chart", colours=colours)
        hl.addWidget(self.hours_chart)
        hl.addWidget(self.text(label(role="section", wrap=False), "panel.ov_timeline"))
        self.timeline = Timeline("staff_overview_timeline", colours=colours)
        for chart, key in ((self.topics_chart, "chart_topics"), (self.hours_chart, "chart_hours"),
                           (self.timeline, "chart_timeline")):
            self.text(chart, f"panel.{key}.a11y", "a11y")
        hl.addWidget(self.timeline)
        self.hours_card = hours
        self.disk_card = self._disk_card()
        lay.addStretch(1)
        self._arrange(landscape=True)
        if sync is not None:
            sync.status_changed.connect(lambda _snap: self._show_sync())
        self.refresh()

    # -- layout ----------------------------------------------------------

    def _arrange(self, landscape: bool) -> None:
        for w in (self.counts_card, self.sync_card, self.topics_card, self.hours_card, self.disk_card):
            self.grid.removeWidget(w)
        if landscape:
            # Everything on one 1920x1080 screen: counts and disk stacked beside the sync
            # card (whose reasons make it the tallest), the two charts below them. The
            # disk card used to be a third row that fell off the bottom of the screen.
            self.grid.addWidget(self.counts_card, 0, 0)
            self.grid.addWidget(self.disk_card, 1, 0)
            self.grid.addWidget(self.sync_card, 0, 1, 2, 1)
            self.grid.addWidget(self.topics_card, 2, 0)
            self.grid.addWidget(self.hours_card, 2, 1)
            self.grid.setColumnStretch(0, 1)
            self.grid.setColumnStretch(1, 1)
        else:
            # One column, but counts and disk share the first row: with a few failure reasons
            # the single column was about one card taller than a 1080x1920 screen.
            self.grid.addWidget(self.counts_card, 0, 0)
            self.grid.addWidget(self.disk_card, 0, 1)
            for row, w in enumerate((self.sync_card, self.topics_card, self.hours_card), start=1):
                self.grid.addWidget(w, row, 0, 1, 2)
        self._landscape = landscape

    def set_landscape(self, landscape: bool) -> None:
        """Two columns on a landscape screen, one on a portrait one (the panel decides)."""
        if landscape != getattr(self, "_landscape", None):
            self._arrange(landscape)

    def _legend(self) -> QWidget:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        for key, series in (("panel.chart_ideas", "ideas"), ("panel.chart_drawings", "drawings")):
            swatch = QLabel()
            swatch.setFixedSize(22, 22)
            swatch.setProperty("role", "swatch")
            swatch.setProperty("series", series)
            lay.addWidget(swatch)
            lay.addWidget(self.text(label(role="muted", wrap=False), key))
            lay.addSpacing(24)
        lay.addStretch(1)
        return row

    def _counts_card(self):
        frame, lay = card("staff_overview_counts_card")
        row = QHBoxLayout()
        row.setSpacing(36)  # "344 61" must not read as one number in the narrow portrait card
        self.ideas = label(name="staff_overview_ideas", role="big")
        self.drawings = label(name="staff_overview_drawings", role="big")
        for value, key in ((self.ideas, "panel.ov_ideas"), (self.drawings, "panel.ov_drawings")):
            col = QVBoxLayout()
            col.addWidget(value)
            col.addWidget(self.text(label(role="muted"), key))
            row.addLayout(col)
        lay.addLayout(row)
        self.total = label(name="staff_overview_total", role="value")
        self.deleted = label(name="staff_overview_deleted", role="muted")
        lay.addWidget(self.total)
        lay.addWidget(self.deleted)
        lay.addStretch(1)  # taller than its content beside the sync card: keep it packed at the top
        return frame

    def _sync_card(self):
        frame, lay = card("staff_overview_sync_card")
        lay.addWidget(self.text(label(role="section"), "panel.ov_sync"))
        self.sync_state = label(name="staff_overview_sync_state", role="value")
        self.last_sync = label(name="staff_overview_last_sync", role="muted")
        lay.addWidget(self.sync_state)
        lay.addWidget(self.last_sync)
        grid = QGridLayout()
        self.state_values = {}
        for i, state in enumerate(("pending", "sent", "failed", "withheld")):
            value = label(name=f"staff_overview_{state}", role="count")
            grid.addWidget(value, 0, i)
            grid.addWidget(self.text(label(role="muted"), f"panel.ov_{state}"), 1, i)
            self.state_values[state] = value
        lay.addLayout(grid)
        self.failures = label(name="staff_overview_failures", role="muted")
        lay.addWidget(self.failures)
        lay.addStretch(1)
        return frame

    def _disk_card(self):
        frame, lay = card("staff_overview_disk_card")
        lay.addWidget(self.text(label(role="section"), "panel.ov_disk"))
        self.free = label(name="staff_overview_free_disk", role="value")
        self.notices = label(name="staff_overview_notices", role="muted")
        lay.addWidget(self.free)
        lay.addWidget(self.notices)
        lay.addStretch(1)
        return frame

    # -- data ------------------------------------------------------------

    def refresh(self) -> None:
        self.data = d = self._load(self.store)
        self.ideas.setText(str(d.ideas))
        self.drawings.setText(str(d.drawings))
        self.ideas.setAccessibleName(f"{self.tr('panel.ov_ideas')} {d.ideas}")
        self.drawings.setAccessibleName(f"{self.tr('panel.ov_drawings')} {d.drawings}")
        total = str(d.total) + (f" ({self.tr('panel.ov_samples', n=d.samples)})" if d.samples else "")
        self.total.setText(f"{self.tr('panel.ov_total')}: {total}")
        self.deleted.setText(self.tr("panel.ov_deleted", n=d.deleted, p=d.purged))
        for state, value in self.state_values.items():
            value.setText(str(d.by_state.get(state, 0)))
            value.setAccessibleName(f"{self.tr(f'panel.ov_{state}')} {d.by_state.get(state, 0)}")
        reasons = [self.tr("panel.ov_failed_reason", n=n, why=why) for why, n in reason_lines(d.failures, self.lang)[:4]]
        reasons += [self.tr("panel.ov_withheld_reason", n=n, why=why)
                    for why, n in reason_lines(d.withheld, self.lang, withheld=True)[:3]]
        self.failures.setText("\n".join(reasons))
        self.failures.setVisible(bool(reasons))
        self.free.setText(self.tr("panel.ov_free", free=human_bytes(d.free_bytes, self.lang)))
        notes = [f"⚠ {n.message}" + (f" ({n.path})" if n.path else "") for n in d.notices[-5:]]
        self.notices.setText("\n".join(notes) or self.tr("panel.ov_no_notices"))
        self.notices.setProperty("role", "warning" if notes else "muted")
        self.notices.style().unpolish(self.notices)
        self.notices.style().polish(self.notices)
        self._show_charts(d)
        self._show_sync()

    def _show_charts(self, d: ov.Overview) -> None:
        titles = {t.id: t.title.get_text(self.lang) for t in self.config.topics}
        drawing_topic = self.config.flows.drawing_topic
        titles.setdefault(drawing_topic, self.tr("panel.chart_drawings"))
        rows = [(titles.get(topic_id, topic_id), (0, n) if topic_id == drawing_topic else (n, 0))
                for topic_id, n in sorted(d.by_topic.items(), key=lambda kv: (-kv[1], kv[0]))]
        self.topics_chart.set_data(rows)
        self.hours_chart.set_data([(h["idea"], h["drawing"]) for h in ov.per_hour_of_day(d.hours)])
        line = ov.timeline(d.hours)
        daily = len(line) > 1 and (line[1][0] - line[0][0]).days >= 1
        self.timeline.set_data([(t.strftime("%d.%m." if daily else "%d.%m. %Hh"), n) for t, n in line])
        for chart in (self.topics_chart, self.hours_chart, self.timeline):
            chart.set_empty_text(self.tr("panel.ov_no_data"))

    def _show_sync(self) -> None:
        snap = self.sync.snapshot() if self.sync is not None else SyncSnapshot("disabled")
        text = state_text(snap, self.lang)
        self.sync_state.setText(("● " if snap.state in ("online", "syncing") else "○ ") + text)
        self.sync_state.setAccessibleName(text)
        self.sync_state.setProperty("role", "warning" if snap.state in ("error", "auth") else "value")
        self.sync_state.style().unpolish(self.sync_state)
        self.sync_state.style().polish(self.sync_state)
        for state, value in self.state_values.items():
            n = getattr(snap, state)
            if n is not None:  # the worker's counts are fresher than the last refresh
                value.setText(str(n))
                value.setAccessibleName(f"{self.tr(f'panel.ov_{state}')} {n}")
        last = snap.last_success or (self.data.last_sent_at if self.data else None)
        self.last_sync.setText(self.tr("panel.ov_last_sync", t=_short_time(last) if last else self.tr("panel.ov_never")))


def reason_lines(counted: Any, lang: str, *, withheld: bool = False) -> list[tuple[str, int]]:
    """``(reason, n)`` pairs as staff read them in ``lang``, most frequent first. Reasons
    that read the same once translated (e.g. two "too large" with different sizes kept
    apart, but the same code stored twice) are counted together."""
    merged: dict[str, int] = {}
    for why, n in counted:
        text = reason_text(why, lang, withheld=withheld)
        merged[text] = merged.get(text, 0) + n
    return sorted(merged.items(), key=lambda kv: -kv[1])


def state_text(snap: SyncSnapshot, lang: str) -> str:
    """The sync state in plain words (an error with its reason)."""
    try:
        return tr(f"panel.state_{snap.state}", lang, msg=state_detail(snap.state, snap.message, lang))
    except KeyError:
        return snap.state


def _short_time(rfc3339: str) -> str:
    from datetime import datetime

    when = datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).astimezone()
    return when.strftime("%d.%m.%Y %H:%M")
