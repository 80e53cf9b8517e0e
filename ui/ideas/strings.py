"""UI strings of the ideas flow, German and English.

Same shape as the shell's table (key -> {"de": ..., "en": ...}), every key
prefixed ``ideas.``, so it can be merged into ``ui/common/i18n.py`` as it is. Config
content (topics, goals, consent) comes translated already.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # frame
    "ideas.back": {"de": "Zurück", "en": "Back"},
    "ideas.back.a11y": {"de": "Einen Schritt zurück", "en": "One step back"},
    "ideas.back_to_start.a11y": {"de": "Zurück zum Startbildschirm", "en": "Back to the start screen"},
    "ideas.progress": {"de": "Schritt {n} von {m}", "en": "Step {n} of {m}"},
    "ideas.lang.de.a11y": {"de": "Sprache: Deutsch", "en": "Switch language to German"},
    "ideas.lang.en.a11y": {"de": "Sprache auf Englisch umstellen", "en": "Language: English"},
    "ideas.next": {"de": "Weiter", "en": "Next"},
    "ideas.next.a11y": {"de": "Weiter zum nächsten Schritt", "en": "Go on to the next step"},
    # topics
    "ideas.topics.heading": {"de": "Worum geht es in Ihrer Idee?", "en": "What is your idea about?"},
    "ideas.topics.sub": {"de": "Wählen Sie ein Handlungsfeld der Smart-City-Strategie.",
                         "en": "Choose a field of action of the smart city strategy."},
    "ideas.topic.a11y": {"de": "Handlungsfeld: {title}", "en": "Field of action: {title}"},
    # goals
    "ideas.goals.heading": {"de": "Wozu möchten Sie etwas sagen?", "en": "What would you like to respond to?"},
    "ideas.goals.sub": {"de": "Ein Ziel oder eine Maßnahme aus „{topic}“ – oder Ihre ganz eigene Idee.",
                        "en": "A goal or measure from “{topic}” – or an idea entirely your own."},
    "ideas.goal.a11y": {"de": "Ziel oder Maßnahme: {title}", "en": "Goal or measure: {title}"},
    "ideas.goal.own": {"de": "Eigene Idee", "en": "My own idea"},
    "ideas.goal.own.text": {"de": "Etwas ganz Neues, das hier noch fehlt.",
                            "en": "Something new that is still missing here."},
    # write
    "ideas.write.heading": {"de": "Ihre Idee", "en": "Your idea"},
    "ideas.write.title.placeholder": {"de": "Kurzer Titel (freiwillig)", "en": "Short title (optional)"},
    "ideas.write.title.a11y": {"de": "Titel der Idee, freiwillig", "en": "Title of the idea, optional"},
    "ideas.write.text.placeholder": {"de": "Schreiben Sie hier Ihre Idee …", "en": "Write your idea here …"},
    "ideas.write.text.a11y": {"de": "Text der Idee", "en": "Text of the idea"},
    "ideas.write.count": {"de": "{n} von {m} Zeichen", "en": "{n} of {m} characters"},
    "ideas.write.cut": {"de": "Der Text war zu lang und wurde nach {m} Zeichen abgeschnitten.",
                        "en": "The text was too long and has been cut after {m} characters."},
    "ideas.write.title_cut": {"de": "Der Titel darf höchstens {m} Zeichen haben und wurde gekürzt.",
                              "en": "The title may have at most {m} characters and has been shortened."},
    # about
    "ideas.about.heading": {"de": "Über Sie – freiwillig", "en": "About you – optional"},
    "ideas.about.sub": {"de": "Das hilft der Stadt zu sehen, wer mitmacht. Sie können diesen Schritt überspringen.",
                        "en": "This helps the city see who takes part. You can skip this step."},
    "ideas.about.skip": {"de": "Überspringen", "en": "Skip"},
    "ideas.about.skip.a11y": {"de": "Schritt überspringen, keine Angaben machen",
                              "en": "Skip this step, give no details"},
    "ideas.about.age": {"de": "Alter", "en": "Age"},
    "ideas.about.age.a11y": {"de": "Altersgruppe {g}", "en": "Age group {g}"},
    "ideas.about.lives_here": {"de": "Wohnen Sie in Jena?", "en": "Do you live in Jena?"},
    "ideas.about.yes": {"de": "Ja", "en": "Yes"},
    "ideas.about.no": {"de": "Nein", "en": "No"},
    "ideas.about.yes.a11y": {"de": "Ja, ich wohne hier", "en": "Yes, I live here"},
    "ideas.about.no.a11y": {"de": "Nein, ich wohne nicht hier", "en": "No, I do not live here"},
    "ideas.about.district": {"de": "Stadtteil", "en": "District"},
    "ideas.about.district.a11y": {"de": "Stadtteil {d}", "en": "District {d}"},
    "ideas.about.name": {"de": "Name (freiwillig)", "en": "Name (optional)"},
    "ideas.about.name.placeholder": {"de": "z. B. Anna M.", "en": "e.g. Anna M."},
    "ideas.about.name.a11y": {"de": "Ihr Name, wird mit der Idee veröffentlicht",
                              "en": "Your name, published with the idea"},
    "ideas.about.name.notice": {"de": "Ein Name, den Sie hier eingeben, wird zusammen mit Ihrer Idee öffentlich angezeigt. "
                                      "Alter, Wohnort und Stadtteil werden nicht veröffentlicht.",
                                "en": "A name you enter here will be shown publicly together with your idea. "
                                      "Age, residence and district are not published."},
    "ideas.about.name_cut": {"de": "Der Name darf höchstens {m} Zeichen haben und wurde gekürzt.",
                             "en": "The name may have at most {m} characters and has been shortened."},
    # consent
    "ideas.consent.heading": {"de": "Veröffentlichung", "en": "Publication"},
    "ideas.consent.more": {"de": "Mehr lesen", "en": "Read more"},
    "ideas.consent.less": {"de": "Weniger anzeigen", "en": "Show less"},
    "ideas.consent.more.a11y": {"de": "Vollständigen Datenschutzhinweis anzeigen",
                                "en": "Show the full privacy notice"},
    "ideas.consent.check": {"de": "Ich bin einverstanden, dass meine Idee veröffentlicht wird.",
                            "en": "I agree that my idea will be published."},
    "ideas.consent.check.a11y": {"de": "Einverständnis zur Veröffentlichung, erforderlich",
                                 "en": "Consent to publication, required"},
    "ideas.consent.required": {"de": "Bitte bestätigen Sie das Einverständnis, um fortzufahren.",
                               "en": "Please confirm your consent to continue."},
    # review
    "ideas.review.heading": {"de": "So wird Ihre Idee veröffentlicht", "en": "This is how your idea will be published"},
    "ideas.review.own": {"de": "Eigene Idee", "en": "Own idea"},
    "ideas.review.by": {"de": "von {name}", "en": "by {name}"},
    "ideas.review.anonymous": {"de": "ohne Namen", "en": "without a name"},
    "ideas.review.private": {"de": "Nur für die Statistik, nicht veröffentlicht: {details}",
                             "en": "Only for statistics, not published: {details}"},
    "ideas.review.lives_here": {"de": "wohnt in Jena", "en": "lives in Jena"},
    "ideas.review.lives_elsewhere": {"de": "wohnt nicht in Jena", "en": "does not live in Jena"},
    "ideas.review.age": {"de": "Alter {g}", "en": "age {g}"},
    "ideas.review.send": {"de": "Absenden", "en": "Send"},
    "ideas.review.send.a11y": {"de": "Idee absenden und speichern", "en": "Send and save the idea"},
    "ideas.review.edit": {"de": "Text ändern", "en": "Edit text"},
    "ideas.review.edit.a11y": {"de": "Zurück zum Text, um ihn zu ändern", "en": "Back to the text to change it"},
    "ideas.review.error.disk": {"de": "Ihre Idee konnte gerade nicht gespeichert werden, weil der Speicher voll ist. "
                                      "Ihr Text bleibt erhalten. Bitte sagen Sie dem Team am Stand Bescheid.",
                                "en": "Your idea could not be saved just now because the storage is full. "
                                      "Your text is kept. Please let the team at the stand know."},
    "ideas.review.error.other": {"de": "Ihre Idee konnte gerade nicht gespeichert werden. Ihr Text bleibt erhalten. "
                                       "Bitte versuchen Sie es noch einmal oder fragen Sie das Team am Stand.",
                                 "en": "Your idea could not be saved just now. Your text is kept. "
                                       "Please try again or ask the team at the stand."},
    # thanks
    "ideas.thanks.heading": {"de": "Danke für Ihre Idee!", "en": "Thank you for your idea!"},
    "ideas.thanks.body": {"de": "Sie ist gespeichert und erscheint bald auf {site}. Schön, dass Sie Jena mitgestalten.",
                          "en": "It is saved and will soon appear on {site}. Thank you for helping to shape Jena."},
    "ideas.thanks.code": {"de": "Ihre Nummer", "en": "Your reference"},
    "ideas.thanks.code.a11y": {"de": "Ihre Nummer: {spelled}", "en": "Your reference: {spelled}"},
    "ideas.thanks.qr": {"de": "Mit dem Handy scannen, um Ihre Idee später wiederzufinden.",
                        "en": "Scan with your phone to find your idea again later."},
    "ideas.thanks.qr.a11y": {"de": "QR-Code mit dem Link zu Ihrer Idee", "en": "QR code with the link to your idea"},
    "ideas.thanks.done": {"de": "Fertig", "en": "Done"},
    "ideas.thanks.done.a11y": {"de": "Fertig, zurück zum Start", "en": "Done, back to the start"},
}

AGE_LABELS = {"under-12": "unter 12|under 12", "12-17": "12–17", "18-29": "18–29", "30-49": "30–49",
              "50-64": "50–64", "65-plus": "65+"}


def translate(key: str, lang: str, **fmt: object) -> str:
    """The string ``key`` in ``lang`` (German when missing), formatted with ``fmt``."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["de"]
    return text.format(**fmt) if fmt else text


def age_label(group: str, lang: str) -> str:
    label = AGE_LABELS.get(group, group)
    if "|" in label:
        de, en = label.split("|")
        return de if lang == "de" else en
    return label
