"""kiosk.core.idea_draft: the rules that turn a draft into a Submission."""

import base64

import pytest

from kiosk import __version__
from kiosk.core.config import BUNDLED_CONFIG, load_config
from kiosk.core.idea_draft import IdeaDraft, idea_url, to_submission
from kiosk.core.model import is_status_token, new_status_token


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
    assert sub.consent_given and sub.consent_version == config.consent.version == "jena-2022-2"
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


def test_idea_url_leads_to_the_status_page_by_its_token(config):
    token = new_status_token()
    assert idea_url(config, "AC3H7K", token) == f"https://kiosk-empfang.example.org/s/{token}"
    assert "AC3H7K" not in idea_url(config, "AC3H7K", token)  # the short code alone opens nothing


def test_every_idea_gets_its_own_unguessable_status_token(config):
    draft = IdeaDraft(topic_id="mobility", text="Mehr Bänke", consent_given=True)
    tokens = {to_submission(draft, config, "de").status_token for _ in range(50)}
    assert len(tokens) == 50
    assert all(is_status_token(t) and len(base64.urlsafe_b64decode(t + "==")) * 8 >= 128 for t in tokens)
