"""kiosk.core.idea_draft: the rules that turn a draft into a Submission."""

import pytest

from kiosk import __version__
from kiosk.core.config import BUNDLED_CONFIG, load_config
from kiosk.core.idea_draft import IdeaDraft, idea_url, to_submission


@pytest.fixture(scope="module")
def config():
    return load_config(BUNDLED_CONFIG)


def test_full_draft(config):
    draft = IdeaDraft(topic_id="stadtentwicklung", goal_id="mobilitaet", title="  Radweg ", text=" Mehr\nRadwege \t",
                      author_name=" Anna ", age_group="30-49", district="Lobeda", lives_here=True, consent_given=True)
    sub = to_submission(draft, config, "en")
    assert (sub.kind, sub.topic_id, sub.goal_id, sub.title, sub.text) == (
        "idea", "stadtentwicklung", "mobilitaet", "Radweg", " Mehr\nRadwege \t")
    assert (sub.author_name, sub.age_group, sub.district, sub.lives_here) == ("Anna", "30-49", "Lobeda", True)
    assert sub.consent_given and sub.consent_version == config.consent.version == "jena-2022-1"
    assert (sub.locale, sub.kiosk_id, sub.event_id, sub.app_version) == (
        "en", config.kiosk.id, config.event.id, __version__)


def test_empty_optionals_are_none(config):
    sub = to_submission(IdeaDraft(topic_id="gesundheit", text="x", title=" ", author_name="", consent_given=True),
                        config, "de")
    assert sub.title is None and sub.author_name is None and sub.goal_id is None and sub.lives_here is None


@pytest.mark.parametrize("draft", [IdeaDraft(text="x", consent_given=True),
                                   IdeaDraft(topic_id="a", text="  ", consent_given=True),
                                   IdeaDraft(topic_id="a", text="x")])
def test_incomplete_draft_is_refused(config, draft):
    with pytest.raises(ValueError):
        to_submission(draft, config, "de")


def test_idea_url(config):
    assert idea_url(config, "AC3H7K") == "https://mitmachen.jena.de/?ref=AC3H7K"
