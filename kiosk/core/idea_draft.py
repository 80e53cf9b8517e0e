"""An idea while the visitor writes it, and the one place it becomes a Submission.

No Qt: the screens fill an :class:`IdeaDraft`; :func:`to_submission` applies the
rules (empty optional fields become ``None``, the consent version and the
kiosk's identity come from config) so they are unit-tested without widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import __version__
from kiosk.core.config import Config
from kiosk.core.model import PlatformItemRef, Submission, new_status_token


@dataclass(slots=True)
class IdeaDraft:
    """What one visitor has entered so far. Text is kept exactly as typed."""

    topic_id: str = ""
    goal_id: str | None = None
    title: str = ""
    text: str = ""
    author_name: str = ""
    age_group: str | None = None
    district: str | None = None
    lives_here: bool | None = None
    consent_given: bool = False
    platform_item: PlatformItemRef | None = None
    """The platform's proposal or debate the visitor said the idea is about (from the content file)."""

    def clear_about(self) -> None:
        self.author_name = ""
        self.age_group = None
        self.district = None
        self.lives_here = None


def idea_url(config: Config, code: str, token: str | None = None) -> str:
    """The link of the receipt's QR code: the receiver's status page of this contribution.

    ``{token}`` in ``[event] idea_url_template`` becomes the submission's status token (the
    unguessable key of ``/s/<token>`` at the receiver), ``{code}`` its reference code (kept
    for older configs; the code alone opens nothing). A submission without a token (a
    sample) gets the template with ``{token}`` left empty.
    """
    return config.event.idea_url_template.replace("{token}", token or "").replace("{code}", code)


def to_submission(draft: IdeaDraft, config: Config, lang: str) -> Submission:
    """The immutable idea to store.

    Title and name are one-line labels: surrounding spaces are dropped and an
    empty one is ``None``. The text is stored exactly as entered.

    Raises:
        ValueError: no topic, no text, or no consent (the screens prevent all three).
    """
    if not draft.topic_id or not draft.text.strip() or not draft.consent_given:
        raise ValueError("an idea needs a topic, a text and consent")
    return Submission(
        kind="idea",
        topic_id=draft.topic_id,
        goal_id=draft.goal_id,
        title=draft.title.strip() or None,
        text=draft.text,
        author_name=draft.author_name.strip() or None,
        age_group=draft.age_group,
        district=draft.district,
        lives_here=draft.lives_here,
        consent_given=True,
        consent_version=config.consent.version,
        locale=lang,
        kiosk_id=config.kiosk.id,
        event_id=config.event.id,
        app_version=__version__,
        status_token=new_status_token(),
        platform_item=draft.platform_item,
    )
