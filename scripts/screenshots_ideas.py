"""Render every step of the ideas flow into docs/screenshots/ (offscreen).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_ideas.py [OUT_DIR]

Landscape 1920x1080 and portrait 1080x1920, German and English, of the flow
alone. ``scripts/screenshots.py`` drives the flow inside the built app with
:func:`drive_ideas` (the same steps) and is the one to run for docs/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}

SAMPLE_TEXT = {
    "de": "Ich wünsche mir an jeder Straßenbahnhaltestelle eine Anzeige, die zeigt, wie voll die nächste Bahn ist – "
          "dann kann ich mit Kinderwagen oder Rollator entspannt die übernächste nehmen.\n\nDie Daten gibt es ja schon. 🚋",
    "en": "I would like a display at every tram stop that shows how full the next tram is – "
          "then people with a pram or a walker can calmly wait for the one after.\n\nThe data already exists. 🚋",
    "de-x-ls": "An jeder Halte-Stelle soll eine Anzeige sein. Die Anzeige zeigt: Wie voll ist die nächste "
               "Straßenbahn? Dann kann ich mit dem Rollator in Ruhe warten.\n\nDie Stadt hat diese Daten schon. 🚋",
}
SAMPLE_TITLE = {"de": "Wie voll ist die nächste Bahn?", "en": "How full is the next tram?",
                "de-x-ls": "Wie voll ist die Straßenbahn?"}


def drive_ideas(flow, config, lang: str, shot) -> None:  # noqa: ANN001
    """Walk ``flow`` (an IdeaFlow, alone or inside the built app) through every step, calling ``shot(step)``."""
    topic = config.topics[2] if len(config.topics) > 2 else config.topics[0]
    flow.start()
    shot("1-topics")
    flow.topics.cards[topic.id].click()
    if flow.current_step() == "goals":
        shot("2-goals")
        if flow.goals.platform.isVisible():  # a content file offers the platform's proposals here
            flow.goals.platform.click()
            shot("2b-proposals")
            row = next((r for r in flow.proposals.rows if not r.more.isHidden()), None)
            if row is not None:
                row.more.click()
                flow.proposals.scroll.ensureWidgetVisible(row)
                shot("2c-proposals-more")
            flow.proposals.rows[0].card.click()
        else:
            first = next(iter(flow.goals.cards.values()), flow.goals.own)
            first.click()
    flow.write.title.insert_text(SAMPLE_TITLE[lang])
    flow.write.text.setFocus()
    flow.write.text.insert_text(SAMPLE_TEXT[lang])
    shot("3-write")
    flow.write.text.insert_text("x" * config.flows.text_limit)
    shot("3b-write-cut")
    flow.write.text.clear_all()
    flow.write.text.insert_text(SAMPLE_TEXT[lang])
    flow.write.keyboard.button("?123").click()
    shot("3c-write-symbols")
    flow.write.keyboard.button("ABC").click()
    flow.write.next.click()
    shot("4-about")
    flow.about.age.chips["30-49"].click()
    flow.about.lives.chips[True].click()
    if config.about.districts:
        flow.about.district.chips[config.about.districts[6 % len(config.about.districts)]].click()
    flow.about.name.setFocus()
    flow.about.keyboard.show()
    flow.about.name.insert_text("Anna M.")
    shot("4b-about-name")
    flow.about.next.click()
    shot("5-consent")
    flow.consent.more.click()
    flow.consent.check.click()
    shot("5b-consent-more")
    flow.consent.next.click()
    shot("6-review")
    flow.review.show_error("disk")
    shot("6b-review-error")
    flow.review.show_error("")
    flow.review.send.click()
    shot("7-thanks")


def render_ideas(config, out_dir: Path, store=None) -> list[Path]:  # noqa: ANN001
    """Render each step of a stand-alone IdeaFlow in each orientation and language; return the files."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from kiosk.core.storage import Store  # noqa: PLC0415
    from ui.ideas.flow import IdeaFlow  # noqa: PLC0415

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        store = store or Store.open_in(Path(tmp))
        for orient, (w, h) in SIZES.items():
            for lang in config.kiosk.languages:
                flow = IdeaFlow(config, store, lang)
                flow.resize(w, h)
                flow.show()

                def shot(step: str) -> None:
                    QApplication.processEvents()
                    path = out_dir / f"ideas-{step}-{orient}-{lang}.png"
                    flow.grab().save(str(path))
                    written.append(path)

                drive_ideas(flow, config, lang, shot)
                flow.close()
                flow.deleteLater()
        store.close()
    return written


def main() -> int:
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from kiosk.core.config import BUNDLED_CONFIG, load_config  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    config = load_config(BUNDLED_CONFIG)
    files = render_ideas(config, out)
    for f in files:
        print(f)
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
