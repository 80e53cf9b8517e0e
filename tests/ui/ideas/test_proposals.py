"""An idea attached to a current proposal of the platform: the goals step's card, the proposals
step, the review step, and what reaches the store. Real flow, real store, real content file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton

from kiosk.core.config import BUNDLED_CONFIG, load_config
from kiosk.core.config.sections import ContentConfig
from kiosk.core.content import PlatformItem, content_toml, items_for_topic, load_items
from kiosk.core.model import PlatformItemRef
from tests.ui.ideas.test_flow import find, make_flow, tap

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "docs" / "examples" / "content.example.toml"


@pytest.fixture(scope="module")
def base():
    return load_config(BUNDLED_CONFIG)


def with_content(config, path: Path):  # noqa: ANN001, ANN201
    return dataclasses.replace(config, content=ContentConfig(file=str(path)))


@pytest.fixture
def config(base):
    return with_content(base, EXAMPLE)


def write_content(tmp_path: Path, items: list[PlatformItem]) -> Path:
    path = tmp_path / "content.toml"
    path.write_text(content_toml(items, "https://mitmachen.example.org", "2026-12-01T08:00:00Z"), encoding="utf-8")
    return path


def walk_to_proposals(flow, topic: str = "stadtentwicklung") -> None:  # noqa: ANN001
    tap(flow, f"ideas_topic_{topic}")
    assert flow.current_step() == "goals"
    tap(flow, "ideas_goal_platform")
    assert flow.current_step() == "proposals"


def finish(flow, text: str = "Bitte mit Beleuchtung.") -> None:  # noqa: ANN001
    flow.write.text.setFocus()
    flow.write.text.insert_text(text)
    tap(flow, "ideas_write_next")
    tap(flow, "ideas_about_skip")
    flow.consent.check.setChecked(True)
    tap(flow, "ideas_consent_next")
    assert flow.current_step() == "review"


# -- which items a field of action offers ------------------------------------------------------

def test_items_go_to_the_topic_their_tags_name_and_untagged_ones_everywhere(base):
    def item(n: int, *tags: str) -> PlatformItem:
        return PlatformItem("proposal", str(n), f"T{n}", "", f"https://x.example/{n}", tags)

    items = [item(1, "Mobilität"), item(2, "gesundheit & pflege"), item(3), item(4, "Katzen"), item(5, "verwaltung")]
    by_topic = {t.id: [i.id for i in items_for_topic(items, t, base.topics)] for t in base.topics}
    assert by_topic["stadtentwicklung"] == ["1", "3", "4"]  # "Mobilität" is a word of its title
    assert by_topic["gesundheit"] == ["2", "3", "4"]  # a whole title, any case
    assert by_topic["verwaltung"] == ["5", "3", "4"]  # its id
    assert by_topic["kompetenzen"] == ["3", "4"]  # only those that name no topic


def test_without_a_content_file_the_goals_step_is_as_before(qtbot, base, store):
    flow = make_flow(qtbot, base, store)
    assert flow.platform_items == ()
    tap(flow, "ideas_topic_stadtentwicklung")
    assert not flow.goals.platform.isVisible()
    tap(flow, "ideas_goal_own")
    assert flow.current_step() == "write"


def test_a_broken_or_missing_file_offers_nothing_and_breaks_nothing(qtbot, base, store, tmp_path):
    (tmp_path / "bad.toml").write_text("format = [", encoding="utf-8")
    for path in (tmp_path / "bad.toml", tmp_path / "missing.toml"):
        assert load_items(with_content(base, path)) == ()
    flow = make_flow(qtbot, with_content(base, tmp_path / "missing.toml"), store)
    tap(flow, "ideas_topic_stadtentwicklung")
    assert not flow.goals.platform.isVisible()


# -- the visitor who does not care ---------------------------------------------------------------

def test_a_visitor_who_does_not_care_taps_exactly_as_before(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    tap(flow, "ideas_topic_stadtentwicklung")
    assert flow.goals.platform.isVisible()
    tap(flow, "ideas_goal_mobilitaet")
    assert flow.current_step() == "write"
    finish(flow)
    assert not find(flow, QLabel, "ideas_review_platform").isVisible()
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    saved = store.get(sent.args[0])
    assert saved.goal_id == "mobilitaet" and saved.platform_item is None
    assert b"platform_item" not in saved.canonical_json()


def test_no_a_new_idea_is_one_tap_and_attaches_nothing(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_proposals(flow)
    none = find(flow, QPushButton, "ideas_proposals_none")
    assert none.property("role") == "primary"
    tap(flow, "ideas_proposals_none")
    assert flow.current_step() == "write" and flow.draft.platform_item is None
    tap(flow, "ideas_back")
    assert flow.current_step() == "proposals"
    tap(flow, "ideas_back")
    assert flow.current_step() == "goals"


# -- attaching one -------------------------------------------------------------------------------

def test_an_idea_about_a_proposal_carries_its_link_to_the_store(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_proposals(flow)
    assert flow.progress_label.text() == "Schritt 2 von 6"  # part of the goals step
    cards = [r.card for r in flow.proposals.rows]
    assert [c.objectName() for c in cards][:3] == ["ideas_proposal_proposal_101", "ideas_proposal_proposal_102",
                                                  "ideas_proposal_proposal_105"]
    first = flow.proposals.rows[0]
    assert first.card.title_label.text() == "Sichere Radwege zwischen Lobeda und Zentrum"
    assert first.card.text_label.text().startswith("Vorschlag · Entlang der Stadtrodaer Straße")
    assert first.card.accessibleName() == "Vorschlag: Sichere Radwege zwischen Lobeda und Zentrum – meine Idee gehört dazu"
    tap(flow, "ideas_proposal_proposal_101")
    assert flow.current_step() == "write"
    assert flow.draft.platform_item == PlatformItemRef("proposal", "101", "https://mitmachen.example.org/proposals/101",
                                                       "Sichere Radwege zwischen Lobeda und Zentrum")
    tap(flow, "ideas_back")  # back to the list, the choice shown
    assert flow.current_step() == "proposals" and flow.proposals.selected().id == "101"
    tap(flow, "ideas_proposal_proposal_101")
    finish(flow)
    shown = find(flow, QLabel, "ideas_review_platform")
    assert shown.isVisible() and "Bezug: " in shown.text() and "Sichere Radwege" in shown.text()
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    saved = store.get(sent.args[0])
    assert saved.platform_item.url == "https://mitmachen.example.org/proposals/101"
    assert saved.goal_id is None and saved.topic_id == "stadtentwicklung"


def test_the_review_step_lets_the_visitor_remove_it(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_proposals(flow)
    tap(flow, "ideas_proposal_proposal_102")
    finish(flow)
    remove = find(flow, QPushButton, "ideas_review_platform_remove")
    assert remove.accessibleName() == "Bezug zu diesem Vorschlag entfernen, Ihre Idee bleibt"
    tap(flow, "ideas_review_platform_remove")
    assert flow.current_step() == "review"
    assert not find(flow, QLabel, "ideas_review_platform").isVisible() and not remove.isVisible()
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    assert store.get(sent.args[0]).platform_item is None


def test_read_more_shows_the_whole_summary_offline_and_says_what_it_does(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_proposals(flow, "kompetenzen")
    row = next(r for r in flow.proposals.rows if r.item.id == "104")
    assert row.card.text_label.text().endswith("…") and len(row.card.text_label.text()) < 200
    more = find(flow, QPushButton, "ideas_proposal_proposal_104_more")
    assert not more.isCheckable()  # a button, not a check box, for AT
    assert more.text() == "Mehr lesen" and more.accessibleName().startswith("Ganze Zusammenfassung lesen: ")
    flow.proposals.scroll.ensureWidgetVisible(more)
    tap(flow, "ideas_proposal_proposal_104_more")
    assert row.item.summary.strip() in row.card.text_label.text()
    assert more.text() == "Weniger anzeigen" and more.accessibleName().startswith("Zusammenfassung ausblenden: ")
    assert flow.current_step() == "proposals"  # reading is not choosing


def test_every_widget_of_the_new_step_is_named_and_a_button_in_every_language(qtbot, config, store):
    flow = make_flow(qtbot, config, store)
    walk_to_proposals(flow)
    for lang in ("de", "en", "de-x-ls"):
        flow.set_language(lang)
        for w in flow.proposals.findChildren(QAbstractButton) + [flow.goals.platform,
                                                                  flow.review.platform_remove]:
            assert w.objectName() and w.accessibleName(), w.objectName()
            assert not w.isCheckable(), w.objectName()
    flow.set_language("en")
    assert flow.proposals.none.text().startswith("No, a new idea")
    assert flow.proposals.rows[0].card.text_label.text().startswith("Proposal · ")


def test_two_hundred_long_items_with_emoji_scroll_and_fit(qtbot, base, store, tmp_path):
    items = [PlatformItem("proposal" if i % 3 else "debate", str(i),
                          ("Ein sehr langer Titel über Radwege, Bänke und Bäume 🌳🚲 " * 4)[:150],
                          ("Eine lange Zusammenfassung mit Umlauten äöü und Emoji 👩‍👩‍👧 " * 12)[:600],
                          f"https://mitmachen.example.org/proposals/{i}", ("Mobilität",)) for i in range(200)]
    flow = make_flow(qtbot, with_content(base, write_content(tmp_path, items)), store)
    walk_to_proposals(flow)
    assert len(flow.proposals.rows) == 200
    qtbot.wait(50)
    scroll = flow.proposals.scroll
    assert scroll.verticalScrollBar().maximum() > 0  # it scrolls, the screen does not grow
    assert flow.height() == 1080 and flow.proposals.none.isVisible()
    row = flow.proposals.rows[0]
    assert row.card.width() + row.more.width() <= scroll.viewport().width()
    assert row.card.height() >= row.card.heightForWidth(row.card.width()) - 1  # nothing cut
    assert scroll.verticalScrollBar().width() >= 56  # a finger's width
    scroll.ensureWidgetVisible(flow.proposals.rows[-1].card)
    qtbot.wait(20)
    tap(flow, "ideas_proposal_proposal_199")
    assert flow.draft.platform_item.id == "199" and len(flow.draft.platform_item.title) <= 200


def test_a_title_longer_than_the_wire_allows_is_shortened_not_refused(qtbot, base, store, tmp_path):
    long = PlatformItem("proposal", "1", "Ä" * 300, "kurz", "https://mitmachen.example.org/proposals/1", ())
    flow = make_flow(qtbot, with_content(base, write_content(tmp_path, [long])), store)
    walk_to_proposals(flow)
    tap(flow, "ideas_proposal_proposal_1")
    assert len(flow.draft.platform_item.title) == 200 and flow.draft.platform_item.title.endswith("…")
    finish(flow)
    with qtbot.wait_signal(flow.submitted) as sent:
        tap(flow, "ideas_review_send")
    assert store.get(sent.args[0]).platform_item.title == flow.proposals.rows[0].item.title[:199] + "…"


def test_a_title_with_a_direction_override_cannot_reorder_the_review_line(qtbot, base, store, tmp_path):
    item = PlatformItem("proposal", "9", "Radweg \u202eetraK", "", "https://mitmachen.example.org/proposals/9", ())
    flow = make_flow(qtbot, with_content(base, write_content(tmp_path, [item])), store)
    walk_to_proposals(flow)
    assert "\u202e" not in flow.proposals.rows[0].card.title_label.text()
    tap(flow, "ideas_proposal_proposal_9")
    finish(flow)
    shown = find(flow, QLabel, "ideas_review_platform").text()
    assert "\u202e" not in shown and "\u2068" in shown and shown.endswith("\u2069")  # isolated
