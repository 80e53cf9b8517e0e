"""What every staff screen shares: German/English strings, a base screen, a job thread,
and an in-panel second confirmation.

Staff screens take their collaborators in the constructor (store, config, a
store factory for worker threads, a sync source) and never reach for globals,
so each one is testable alone. Screens style nothing themselves: they set ``role``
properties (``primary``, ``danger``, ``section``, ``value``, ``warning``, ``card``,
``screen_title``, …) that ``ui/common/theme.py`` styles under ``#staff_panel``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

STRINGS: dict[str, tuple[str, str]] = {
    # panel
    "panel_title": ("Personalbereich", "Staff area"),
    "nav_overview": ("Übersicht", "Overview"),
    "nav_sync": ("Synchronisieren", "Sync"),
    "nav_browse": ("Durchsehen", "Browse"),
    "nav_moderate": ("Moderieren", "Moderate"),
    "nav_export": ("USB-Export", "USB export"),
    "nav_system": ("System", "System"),
    "close_panel": ("Schließen", "Close"),
    "lang_toggle": ("English", "Deutsch"),
    "refresh": ("Aktualisieren", "Refresh"),
    # overview
    "ov_title": ("Übersicht", "Overview"),
    "ov_ideas": ("Ideen", "Ideas"),
    "ov_drawings": ("Zeichnungen", "Drawings"),
    "ov_total": ("Beiträge gesamt", "Contributions in total"),
    "ov_samples": ("davon {n} Beispiele", "of which {n} samples"),
    "ov_by_topic": ("NACH HANDLUNGSFELD", "BY FIELD OF ACTION"),
    "ov_by_hour": ("NACH UHRZEIT", "BY HOUR OF THE DAY"),
    "ov_timeline": ("VERLAUF", "TIMELINE"),
    "ov_no_data": ("Noch keine Beiträge", "No contributions yet"),
    "ov_sync": ("SYNCHRONISATION", "SYNC"),
    "ov_disk": ("SPEICHER UND HINWEISE", "DISK AND NOTICES"),
    "ov_pending": ("wartend", "pending"),
    "ov_sent": ("gesendet", "sent"),
    "ov_failed": ("fehlgeschlagen", "failed"),
    "ov_withheld": ("zurückgehalten", "withheld"),
    "ov_deleted": ("Gelöscht (Grabstein): {n} · gelöscht nach Übergabe: {p}",
                   "Deleted (tombstones): {n} · purged after delivery: {p}"),
    "ov_last_sync": ("Letzte erfolgreiche Übertragung: {t}", "Last successful sync: {t}"),
    "ov_never": ("noch nie", "never"),
    "ov_free": ("Freier Speicher: {free}", "Free disk: {free}"),
    "ov_no_notices": ("Keine Warnungen der Datenbank.", "No warnings from the database."),
    "ov_failed_reason": ("{n} × {why}", "{n} × {why}"),
    "ov_withheld_reason": ("{n} × zurückgehalten: {why}", "{n} × withheld: {why}"),
    "state_online": ("Online", "Online"),
    "state_offline": ("Offline – keine Verbindung zum Empfänger", "Offline – the receiver cannot be reached"),
    "state_syncing": ("Überträgt gerade …", "Syncing …"),
    "state_error": ("Fehler: {msg}", "Error: {msg}"),
    "state_disabled": ("Synchronisation ist in kiosk.toml ausgeschaltet", "Sync is switched off in kiosk.toml"),
    "state_auth": ("Das Token ist falsch oder fehlt: der Empfänger nimmt diesen Kiosk nicht an. "
                   "Bitte die Token-Datei prüfen. ({msg})",
                   "The token is wrong or missing: the receiver does not accept this kiosk. "
                   "Check the token file. ({msg})"),
    "state_starting": ("Startet …", "Starting …"),
    "chart_ideas": ("Ideen", "Ideas"),
    "chart_drawings": ("Zeichnungen", "Drawings"),
    # sync
    "sync_title": ("Jetzt synchronisieren", "Sync now"),
    "sync_now": ("Jetzt synchronisieren", "Sync now"),
    "sync_retry_failed": ("Fehlgeschlagene erneut versuchen", "Retry failed ones"),
    "sync_retried": ("{n} fehlgeschlagene Beiträge warten wieder.", "{n} failed contributions are pending again."),
    "sync_idle": ("Wartend: {pending} · gesendet: {sent} · fehlgeschlagen: {failed}",
                  "Pending: {pending} · sent: {sent} · failed: {failed}"),
    "sync_running": ("Überträgt {done} von {total} …", "Sending {done} of {total} …"),
    "sync_summary": ("Fertig: {delivered} übertragen, {existing} waren schon da, {failed} fehlgeschlagen.",
                     "Done: {delivered} delivered, {existing} already there, {failed} failed."),
    "sync_unavailable": ("Synchronisation ist ausgeschaltet ([sync] enabled in kiosk.toml).",
                         "Sync is switched off ([sync] enabled in kiosk.toml)."),
    # browse
    "browse_title": ("Beiträge durchsehen", "Browse contributions"),
    "browse_search": ("Suchen: Text, Name, Code …", "Search: text, name, code …"),
    "browse_ideas": ("Ideen", "Ideas"),
    "browse_drawings": ("Zeichnungen", "Drawings"),
    "browse_back": ("Zurück zur Liste", "Back to the list"),
    "browse_empty": ("Nichts gefunden.", "Nothing found."),
    "browse_found": ("{n} Treffer (höchstens {limit} angezeigt)", "{n} found (at most {limit} shown)"),
    # moderate
    "mod_title": ("Moderieren", "Moderate"),
    "mod_pick": ("Beitrag in der Liste antippen.", "Tap a contribution in the list."),
    "mod_reason": ("Grund", "Reason"),
    "mod_reason_text": ("Grund in eigenen Worten (optional)", "Reason in your own words (optional)"),
    "mod_withhold": ("Zurückhalten", "Withhold"),
    "mod_release": ("Freigeben", "Release"),
    "mod_delete": ("Löschen …", "Delete …"),
    "mod_withheld_ok": ("Zurückgehalten: wird nicht übertragen, bleibt im Export markiert.",
                        "Withheld: it will not be synced and stays in exports, marked."),
    "mod_released_ok": ("Freigegeben: wird wieder übertragen.", "Released: it will be synced again."),
    "mod_deleted_ok": ("Gelöscht. Ein Grabstein (ID, Zeit, Grund) bleibt.",
                       "Deleted. A tombstone (id, time, reason) remains."),
    "mod_confirm_delete": ("Wirklich endgültig löschen? Das kann nicht rückgängig gemacht werden.",
                           "Really delete for good? This cannot be undone."),
    "mod_drafts": ("UNFERTIGE ZEICHNUNGEN (NACH ABSTURZ GERETTET)", "UNFINISHED DRAWINGS (RECOVERED AFTER A CRASH)"),
    "mod_no_drafts": ("Keine unfertigen Zeichnungen.", "No unfinished drawings."),
    "mod_keep": ("Behalten", "Keep"),
    "mod_discard": ("Verwerfen …", "Discard …"),
    "mod_confirm_discard": ("Unfertige Zeichnung verwerfen?", "Discard this unfinished drawing?"),
    "reason_insulting": ("Beleidigend", "Insulting"),
    "reason_personal_data": ("Persönliche Daten", "Personal data"),
    "reason_off_topic": ("Nicht zum Thema", "Off topic"),
    "reason_spam": ("Spam / Test", "Spam / test"),
    "reason_other": ("Anderer Grund", "Other reason"),
    "confirm_yes": ("Ja, löschen", "Yes, delete"),
    "confirm_no": ("Abbrechen", "Cancel"),
    # export
    "export_title": ("Export auf USB-Stick", "Export to a USB stick"),
    "export_drives": ("EINGESTECKTE LAUFWERKE", "PLUGGED-IN DRIVES"),
    "export_no_drives": ("Kein USB-Stick gefunden. Stick einstecken und „Laufwerke suchen“ tippen.",
                         "No USB stick found. Plug one in and tap “Find drives”."),
    "export_find": ("Laufwerke suchen", "Find drives"),
    "export_pick": ("Ordner wählen …", "Choose a folder …"),
    "export_target": ("Ziel: {path}", "Target: {path}"),
    "export_no_target": ("Noch kein Ziel gewählt.", "No target chosen yet."),
    "export_start": ("Exportieren", "Export"),
    "export_running": ("Schreibe {done} von {total} …", "Writing {done} of {total} …"),
    "export_verifying": ("Prüfe den Export durch Zurücklesen …", "Verifying the export by reading it back …"),
    "export_done": ("{items} Beiträge ({ideas} Ideen, {drawings} Zeichnungen), {size} geschrieben nach\n{path}",
                    "{items} contributions ({ideas} ideas, {drawings} drawings), {size} written to\n{path}"),
    "export_verified": ("Geprüft: alle {files} Dateien und Zählungen stimmen.",
                        "Verified: all {files} files and counts match."),
    "export_verify_failed": ("Prüfung FEHLGESCHLAGEN: {problem}", "Verification FAILED: {problem}"),
    "export_failed": ("Export fehlgeschlagen: {msg}", "Export failed: {msg}"),
    "drive_free": ("{label} – {free} frei", "{label} – {free} free"),
    # system
    "sys_title": ("System", "System"),
    "sys_connection": ("VERBINDUNG", "CONNECTION"),
    "sys_test": ("Verbindung testen", "Test connection"),
    "sys_test_ok": ("Empfänger antwortet: Version {version}, Protokoll {protocol}.",
                    "The receiver answers: version {version}, protocol {protocol}."),
    "sys_reconcile": ("Abgleich mit dem Empfänger", "Reconcile with the receiver"),
    "sys_reconcile_ok": ("Alles, was nicht zurückgehalten ist, ist übertragen und geprüft.",
                         "Everything not withheld is delivered and verified."),
    "sys_reconcile_bad": ("NICHT vollständig: bitte synchronisieren oder Fehler ansehen.",
                          "NOT complete: sync, or look at the failures."),
    "sys_reconcile_counts": ("Gehalten {held} · übertragen+geprüft {verified} · wartend {pending} · "
                             "fehlgeschlagen {failed} · zurückgehalten {withheld} · Abweichungen {mismatch}",
                             "Held {held} · delivered+verified {verified} · pending {pending} · "
                             "failed {failed} · withheld {withheld} · mismatches {mismatch}"),
    "sys_wipe": ("TERMINAL LEEREN NACH DER VERANSTALTUNG", "WIPE THE TERMINAL AFTER THE EVENT"),
    "sys_purge": ("Übertragene Beiträge löschen …", "Purge delivered contributions …"),
    "sys_purge_plan": ("{safe} Beiträge sind beim Empfänger geprüft und werden gelöscht.",
                       "{safe} contributions are verified at the receiver and will be removed."),
    "sys_purge_risk": ("{lost} Beiträge sind NICHT geprüft übertragen und gingen verloren. "
                       "Zum Bestätigen „{phrase}“ eintippen.",
                       "{lost} contributions are NOT verified delivered and would be lost. "
                       "Type “{phrase}” to confirm."),
    "sys_purge_phrase": ("Bestätigung eintippen", "Type the confirmation"),
    "sys_purge_confirm": ("Wirklich löschen? Zählungen und Quittungen bleiben.",
                          "Really purge? Counts and receipts are kept."),
    "sys_purged": ("{n} Beiträge gelöscht; Datenbank {before} → {after}.",
                   "{n} contributions purged; database {before} → {after}."),
    "sys_purge_refused": ("Nicht gelöscht: {msg}", "Nothing purged: {msg}"),
    "sys_app": ("KIOSK", "KIOSK"),
    "sys_restart": ("Neu starten", "Restart"),
    "sys_exit": ("Kiosk beenden", "Exit kiosk"),
    "sys_no_receiver": ("Kein Empfänger eingerichtet.", "No receiver is set up."),
}

LANGS = ("de", "en")


def tr(key: str, lang: str, **fmt: Any) -> str:
    de, en = STRINGS[key]
    text = en if lang == "en" else de
    return text.format(**fmt) if fmt else text


class StaffScreen(QWidget):
    """Base of every staff screen: texts registered once, re-applied on a language change.

    Signals:
        changed: the screen changed data in the store (others refresh).
        busy_changed: a job of this screen (export, sync, reconcile, …) started or ended;
            :meth:`busy` answers differently now.
    """

    changed = Signal()
    busy_changed = Signal()

    def __init__(self, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._texts: list[tuple[Any, str, str, dict]] = []

    def text(self, widget: Any, key: str, how: str = "text", **fmt: Any) -> Any:
        """Give ``widget`` the translated ``key`` (text, placeholder or title) and its accessible name."""
        self._texts.append((widget, key, how, fmt))
        self._apply(widget, key, how, fmt)
        return widget

    def _apply(self, widget: Any, key: str, how: str, fmt: dict) -> None:
        value = tr(key, self.lang, **fmt)
        if how == "placeholder":
            widget.setPlaceholderText(value)
        else:
            widget.setText(value)
        widget.setAccessibleName(value.strip())

    def set_language(self, lang: str) -> None:
        self.lang = lang
        for widget, key, how, fmt in self._texts:
            self._apply(widget, key, how, fmt)
        self.refresh()

    def refresh(self) -> None:
        """Re-read what the screen shows (override)."""

    def busy(self) -> bool:
        """True while a job this screen started is still running (the panel must not time out)."""
        return False

    def tr(self, key: str, **fmt: Any) -> str:
        return tr(key, self.lang, **fmt)


def button(name: str, role: str | None = None) -> QPushButton:
    b = QPushButton()
    b.setObjectName(name)
    if role:
        b.setProperty("role", role)
    b.setMinimumHeight(72 if role != "primary" else 88)
    return b


def label(name: str = "", role: str | None = None, wrap: bool = True) -> QLabel:
    lab = QLabel()
    if name:
        lab.setObjectName(name)
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    return lab


def scrolling_page(screen: QWidget, body: QWidget | None = None, *, margins: tuple[int, int] = (40, 32),
                   spacing: int = 18) -> QVBoxLayout:
    """Give a staff page a frameless scroll area (nothing is ever cut off on a short screen).

    Returns the layout of ``body`` (objectName ``staff_body``), where the page's content goes.
    """
    outer = QVBoxLayout(screen)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    body = body if body is not None else QWidget()
    body.setObjectName("staff_body")
    scroll.setWidget(body)
    outer.addWidget(scroll)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(margins[0], margins[1], margins[0], margins[1])
    lay.setSpacing(spacing)
    return lay


def card(name: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    if name:
        frame.setObjectName(name)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(28, 22, 28, 22)
    lay.setSpacing(12)
    return frame, lay


class ConfirmPanel(QFrame):
    """The second confirmation, inside the panel (no modal window a touch user could lose).

    Signals:
        accepted / rejected
    """

    accepted = Signal()
    rejected = Signal()

    def __init__(self, screen: StaffScreen, prefix: str) -> None:
        super().__init__()
        self.setObjectName(f"{prefix}_confirm")
        self.setProperty("role", "warning_box")
        lay = QVBoxLayout(self)
        self.message = label(f"{prefix}_confirm_message", "warning")
        row = QHBoxLayout()
        self.yes = screen.text(button(f"{prefix}_confirm_yes", "danger"), "confirm_yes")
        self.no = screen.text(button(f"{prefix}_confirm_no"), "confirm_no")
        row.addWidget(self.yes)
        row.addWidget(self.no)
        lay.addWidget(self.message)
        lay.addLayout(row)
        self.yes.clicked.connect(self._yes)
        self.no.clicked.connect(self._no)
        self.hide()

    def ask(self, message: str) -> None:
        self.message.setText(message)
        self.message.setAccessibleName(message)
        self.show()

    def _yes(self) -> None:
        self.hide()
        self.accepted.emit()

    def _no(self) -> None:
        self.hide()
        self.rejected.emit()


class Job(QThread):
    """Run ``work(progress)`` off the GUI thread; results come back as signals.

    ``work`` gets a ``progress(done, total)`` callable and returns a result.
    Anything it raises arrives as ``failed`` with the message (environment
    errors carry plain messages already).

    Signals:
        progressed(int, int), succeeded(object), failed(str)
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(lambda done, total: self.progressed.emit(done, total))
        except Exception as exc:  # noqa: BLE001 - shown to staff, the GUI must survive
            self.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.succeeded.emit(result)


def human_bytes(n: int | None, lang: str = "en") -> str:
    """``78000000000`` -> "78.0 GB" (en) / "78,0 GB" (de); "?" when unknown (see :func:`size_text`)."""
    from ui.staff.reasons import size_text

    return "?" if n is None else size_text(n, "en" if lang == "en" else "de")


# ---------------------------------------------------------------- the sync source interface

from ui.common.sync_source import SyncSnapshot, SyncSource, SyncSummary  # noqa: E402, F401 - re-exported
