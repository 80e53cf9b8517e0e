"""German and English texts of the drawing studio (merged into ``ui/common/i18n.py`` later).

Children of 4 to 12 do not need to read: every tool is a picture. These texts
are for the parents, for screen readers (accessible names), and for the
"Done" screen.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "draw.home": {"de": "Zurück zum Start", "en": "Back to start"},
    "draw.done": {"de": "Fertig!", "en": "Done!"},
    "draw.done.a11y": {"de": "Fertig: Bild abgeben", "en": "Done: hand in the picture"},
    "draw.confirm.new": {"de": "Neues Bild anfangen?", "en": "Start a new picture?"},
    "draw.confirm.new.sub": {"de": "Dein Bild kommt in den Mülleimer.", "en": "Your picture goes in the bin."},
    "draw.confirm.home": {"de": "Zurück zum Start?", "en": "Back to the start?"},
    "draw.confirm.home.sub": {"de": "Dein Bild wird gelöscht.", "en": "Your picture will be thrown away."},
    "draw.confirm.yes": {"de": "Ja", "en": "Yes"},
    "draw.confirm.no": {"de": "Nein", "en": "No"},
    "draw.confirm.yes.a11y": {"de": "Ja, wegwerfen", "en": "Yes, throw it away"},
    "draw.confirm.no.a11y": {"de": "Nein, weitermalen", "en": "No, keep drawing"},
    "done.title": {"de": "Toll gemalt!", "en": "What a great picture!"},
    "done.sub": {"de": "Magst du uns noch etwas erzählen? Alles ist freiwillig.",
                 "en": "Want to tell us a bit more? Everything is optional."},
    "done.name": {"de": "Dein Vorname", "en": "Your first name"},
    "done.name.placeholder": {"de": "z. B. Mia", "en": "e.g. Mia"},
    "done.age": {"de": "Wie alt bist du?", "en": "How old are you?"},
    "done.age.under-12": {"de": "unter 12", "en": "under 12"},
    "done.age.12-17": {"de": "12 – 17", "en": "12 – 17"},
    "done.age.18-29": {"de": "18 – 29", "en": "18 – 29"},
    "done.age.30-49": {"de": "30 – 49", "en": "30 – 49"},
    "done.age.50-64": {"de": "50 – 64", "en": "50 – 64"},
    "done.age.65-plus": {"de": "65 +", "en": "65 +"},
    "done.age.a11y": {"de": "Alter {g}", "en": "Age {g}"},
    "done.consent": {"de": "Für Eltern: Ich bin einverstanden.", "en": "For parents: I agree."},
    "done.consent.without": {"de": "Ohne Häkchen bleibt das Bild hier bei uns und wird nicht veröffentlicht.",
                             "en": "Without the tick the picture stays here with us and is not published."},
    "done.back": {"de": "Weitermalen", "en": "Keep drawing"},
    "done.back.a11y": {"de": "Zurück zum Bild, weitermalen", "en": "Back to the picture, keep drawing"},
    "done.send": {"de": "Bild abgeben", "en": "Hand in picture"},
    "done.saving": {"de": "Wird gespeichert …", "en": "Saving …"},
    "done.error.disk_full": {"de": "Gerade können wir dein Bild nicht speichern. Bitte frag das Team am Stand.",
                             "en": "We can't save your picture right now. Please ask the team at the stand."},
    "done.error.error": {"de": "Das hat leider nicht geklappt. Bitte versuch es noch einmal.",
                         "en": "Sorry, that didn't work. Please try again."},
    "thanks.title": {"de": "Danke für dein Bild!", "en": "Thank you for your picture!"},
    "thanks.code": {"de": "Dein Bild-Code", "en": "Your picture code"},
    "thanks.qr": {"de": "Später findest du dein Bild online – einfach den QR-Code scannen.",
                  "en": "Find your picture online later – just scan the QR code."},
    "thanks.kept": {"de": "Dein Bild bleibt bei uns am Stand. Mit dem Code findet das Team es wieder.",
                    "en": "Your picture stays with us at the stand. With the code the team can find it."},
    "thanks.qr.a11y": {"de": "QR-Code zu deinem Bild", "en": "QR code for your picture"},
    "thanks.preview.a11y": {"de": "Vorschau deines Bildes", "en": "Preview of your picture"},
    "thanks.finish": {"de": "Fertig", "en": "Finish"},
    "thanks.finish.a11y": {"de": "Fertig, zurück zum Start", "en": "Finished, back to the start"},
}


def t(key: str, lang: str, **fmt: object) -> str:
    entry = STRINGS[key]
    text = entry.get(lang) or entry["de"]
    return text.format(**fmt) if fmt else text
