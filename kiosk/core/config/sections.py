"""The configuration's values: one frozen dataclass per section of ``kiosk.toml``.

Every field has an embedded default, so an empty file gives a working kiosk
(:data:`DEFAULT_CONFIG`). Texts that visitors read are :class:`Localized`, one
per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ORIENTATIONS = ("landscape", "portrait", "auto")
DISPLAYS = ("auto", "wayland", "x11")
"""``[kiosk] display``: which display server Qt talks to (see kiosk.app.display)."""

# A PIN everyone knows from the README. `check-config` warns while it is in use.
DEMO_PIN = "1234"
DEMO_PIN_HASH = "$argon2id$v=19$m=16384,t=3,p=1$l8yTcZfw9w/+RsRuVsjNXw$wKPQ0k0ItalkeHbcDX3u3aONrBsF96YPFS7jVUDclIA"


class Localized(dict[str, str]):
    """A text in several languages, e.g. ``{"de": "Malen", "en": "Draw"}``.

    A plain string in kiosk.toml is the same text in every language (key ``"*"``).
    A language it lacks gets the ``fallback`` language's text (check-config warns).
    """

    EVERY = "*"

    @classmethod
    def everywhere(cls, text: str) -> Localized:
        return cls({cls.EVERY: text})

    def get_text(self, lang: str, fallback: str = "de") -> str:
        return self.get(lang) or self.get(self.EVERY) or self.get(fallback) or next(iter(self.values()), "")


def _l(de: str, en: str) -> Localized:
    return Localized(de=de, en=en)


@dataclass(frozen=True, slots=True)
class EventConfig:
    id: str = "smart-city-fest"
    name: Localized = field(default_factory=lambda: _l("Smart City-Fest", "Smart City Festival"))
    organizer: Localized = field(default_factory=lambda: _l("Ihre Stadt", "Your city"))
    tagline: Localized = field(default_factory=lambda: _l(
        "Gestalten Sie die digitale Stadt mit!", "Help shape the digital city!"))
    dates: tuple[str, ...] = ()
    venue: Localized = field(default_factory=lambda: _l("", ""))
    platform_url: str = "https://example.org/"
    idea_url_template: str = "https://example.org/s/{token}"
    """The QR code's link: the receiver's public status page; {token} is the contribution's
    unguessable status token (``Submission.status_token``)."""


@dataclass(frozen=True, slots=True)
class BrandingConfig:
    primary_color: str = "#0b4f8a"
    accent_color: str = "#e8a317"
    background_color: str = "#f6f4ef"
    text_color: str = "#1d1d1f"
    logo: str = ""


@dataclass(frozen=True, slots=True)
class KioskConfig:
    id: str = "terminal-1"
    languages: tuple[str, ...] = ("de", "en")
    default_language: str = "de"
    orientation: str = "auto"
    display: str = "auto"
    """auto: Wayland when WAYLAND_DISPLAY is set, else X11 (DISPLAY); wayland or x11 insist on one.
    QT_QPA_PLATFORM in the environment wins over it."""
    hide_cursor: bool = False
    screen_diagonal_inch: float = 0.0
    """The screen's visible diagonal in inches; 0: not known. With it, the layout check
    (scripts/layout_check.py) measures touch targets in millimetres as well as pixels."""
    locale_dir: str = ""
    """A folder of the city's own message catalogues (``LANG.po``), relative to kiosk.toml;
    searched before the bundled ones (assets/locale)."""


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    title: Localized
    text: Localized = field(default_factory=lambda: _l("", ""))


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: Localized
    description: Localized = field(default_factory=lambda: _l("", ""))
    icon: str = "mdi6.lightbulb-on-outline"
    goals: tuple[Goal, ...] = ()


DEFAULT_TOPICS = (Topic(id="general", title=_l("Allgemein", "General"),
                        description=_l("Ihre Idee für die Stadt", "Your idea for the city")),)


@dataclass(frozen=True, slots=True)
class FlowsConfig:
    ideas: bool = True
    drawing: bool = True
    text_limit: int = 1000
    title_limit: int = 80
    ideas_label: Localized = field(default_factory=lambda: _l("Idee teilen", "Share an idea"))
    drawing_label: Localized = field(default_factory=lambda: _l("Malen", "Draw"))
    drawing_prompt: Localized = field(default_factory=lambda: _l(
        "Male deine digitale Stadt der Zukunft!", "Draw your digital city of the future!"))
    drawing_topic: str = "drawing"


@dataclass(frozen=True, slots=True)
class ConsentConfig:
    version: str = "1"
    short: Localized = field(default_factory=lambda: _l(
        "Ihr Beitrag wird auf der Beteiligungsplattform veröffentlicht.",
        "Your contribution will be published on the participation platform."))
    full: Localized = field(default_factory=lambda: _l(
        "Ihr Beitrag wird auf der Beteiligungsplattform veröffentlicht.",
        "Your contribution will be published on the participation platform."))
    drawing_short: Localized = field(default_factory=lambda: _l(
        "Ein Elternteil ist einverstanden, dass das Bild veröffentlicht wird.",
        "A parent agrees that the picture may be published."))
    """The parent's consent on the drawing form (a child's picture, not "your idea")."""


@dataclass(frozen=True, slots=True)
class AboutConfig:
    districts: tuple[str, ...] = ()
    ask_name: bool = True
    ask_age: bool = True
    ask_district: bool = True


@dataclass(frozen=True, slots=True)
class IdleConfig:
    timeout_s: float = 90.0
    countdown_s: float = 20.0
    """How long "Still there?" counts down; WCAG 2.2 (2.2.1) asks for at least 20 s."""
    drawing_timeout_s: float = 240.0
    thanks_timeout_s: float = 30.0
    sound: bool = False
    """A soft chime when "Still there?" appears (for visitors who do not look at the screen)."""
    sound_player: str = ""
    """The command that plays it (the sound file is added as its last argument); empty: the
    first of pw-play, paplay, aplay that is installed."""


@dataclass(frozen=True, slots=True)
class StaffConfig:
    pin_hash: str = DEMO_PIN_HASH
    corner: str = "top-right"
    taps: int = 5
    tap_window_s: float = 3.0


@dataclass(frozen=True, slots=True)
class StorageConfig:
    data_dir: str = ""
    min_free_mb: int = 200


@dataclass(frozen=True, slots=True)
class ContentConfig:
    file: str = ""
    """Proposals and debates pulled from the platform (``kiosk content pull``), relative to this
    file's folder; checked by ``kiosk check-config`` (:mod:`kiosk.core.content`)."""


@dataclass(frozen=True, slots=True)
class SyncConfig:
    enabled: bool = False
    endpoint: str = ""
    token_file: str = ""
    interval_s: float = 30.0
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    ca_bundle: str = ""
    allow_plain_http: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    event: EventConfig = field(default_factory=EventConfig)
    branding: BrandingConfig = field(default_factory=BrandingConfig)
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    topics: tuple[Topic, ...] = DEFAULT_TOPICS
    flows: FlowsConfig = field(default_factory=FlowsConfig)
    consent: ConsentConfig = field(default_factory=ConsentConfig)
    about: AboutConfig = field(default_factory=AboutConfig)
    idle: IdleConfig = field(default_factory=IdleConfig)
    staff: StaffConfig = field(default_factory=StaffConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    source: str = "<defaults>"

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    @property
    def locale_dirs(self) -> tuple[Path, ...]:
        """``[kiosk] locale_dir`` as a folder (relative to this file's folder), if set."""
        if not self.kiosk.locale_dir:
            return ()
        folder = Path(self.kiosk.locale_dir).expanduser()
        if not folder.is_absolute() and not self.source.startswith("<"):
            folder = Path(self.source).parent / folder
        return (folder,)


DEFAULT_CONFIG = Config()
