"""CONSUL Democracy's PLANNED REST API: each approved idea becomes a proposal.

UNRELEASED — THIS CONNECTOR FOLLOWS AN API THAT DOES NOT EXIST YET AND MAY CHANGE. It is off
by default; turn it on only against a CONSUL that has shipped the endpoints, after checking
them against this module. What it follows, as planned upstream (2026):

- consuldemocracy/consuldemocracy#6516, *API client credentials for write access*: an OAuth2
  client-credentials flow (client id + secret exchanged for a token), scopes per client such
  as ``write:proposals``. Assumed here: ``POST /oauth/token`` (form: ``grant_type=
  client_credentials``, ``client_id``, ``client_secret``, ``scope``) answering
  ``{"access_token": ..., "token_type": "Bearer"}`` (Doorkeeper's usual shape; ``token_url``
  in ``receiver.toml`` changes the path).
- consuldemocracy/consuldemocracy#6529, *Write endpoint: Proposals*: ``POST /api/v1/proposals``
  (and ``PATCH /api/v1/proposals/:id``), validated exactly like the web form. Assumed here: a
  JSON body ``{"proposal": {title, summary, description, tag_list, terms_of_service,
  responsible_name}}``, ``201`` with ``{"id": N}``, ``422`` with ``{"errors": {field:
  [messages]}}``. The web form's rules (``app/models/proposal.rb``): title 4 to 80
  characters, a summary, a description of at most 6000, accepted terms of service, a
  responsible name (6 to 60) unless the site skips verification.

What it does: the title is staff's edit, else the visitor's title; the summary is the
visitor's text when it is at most 200 characters, else the title (both the visitor's own
words, nothing cut); the description is the text (or staff's body), the reference line
(``Kiosk-Nr. ABC123``) and, when the visitor attached the idea to a platform item, a line
``Bezug: <title> <url>``. A title CONSUL's rules refuse, or a 422, goes to ``needs_editing``.
5xx/429/timeouts are retried by the outbox; a refused client is ``failed``.

Idempotency: an ``Idempotency-Key`` header carries the outbox row's key (harmless if CONSUL
ignores it). It is not relied upon: before sending an item again whose earlier attempt may have
reached CONSUL (a lost answer, a receiver killed mid-call), the connector looks for the
reference line among the newest proposals of CONSUL's public GraphQL API (which exists today,
read-only: ``proposals(last: 25, before:)``, newest pages first) and takes what it finds.
Credentials come from files only the receiver's user may read and are never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from sync.receiver.publish.config import PublishConfigError, Secret
from sync.receiver.publish.connectors.http import DEFAULT_TIMEOUT, outcome_of_error, outcome_of_status
from sync.receiver.publish.outbox import EditRules, Outcome, PublishItem
from sync.receiver.publish.platform_item import reference_line

UNRELEASED_API = True
"""Marks this connector as following CONSUL's planned, unreleased REST API (#6516, #6529)."""

TITLE_MIN, TITLE_MAX, SUMMARY_MAX, DESCRIPTION_MAX = 4, 80, 200, 6000
LOOKUP_PAGES = 4

RECENT = """query Recent($before: String) {
  proposals(last: 25, before: $before) {
    pageInfo { hasPreviousPage startCursor }
    edges { node { id description } }
  }
}"""


def marker(reference_code: str) -> str:
    return f"Kiosk-Nr. {reference_code}"


def proposal_fields(data: dict[str, Any], edits: dict[str, str], tag: str) -> dict[str, Any] | str:
    """The proposal for CONSUL, or the problem staff must solve (a string). Pure; nothing is cut."""
    text = (edits.get("body") or data.get("text") or "").strip()
    title = (edits.get("title") or data.get("title") or "").strip()
    if not title and TITLE_MIN <= len(text) <= TITLE_MAX:
        title = text
    if not title:
        return f"no title: CONSUL needs a title of {TITLE_MIN} to {TITLE_MAX} characters"
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        return f"the title has {len(title)} characters; CONSUL needs {TITLE_MIN} to {TITLE_MAX}"
    if not text:
        return "no text: CONSUL needs a description"
    lines = [text, "", marker(data.get("reference_code") or "")]
    if reference := reference_line(data):
        lines.append(reference)
    description = "\n".join(lines)
    if len(description) > DESCRIPTION_MAX:
        return f"the text has {len(text)} characters; CONSUL takes at most {DESCRIPTION_MAX} with the reference"
    return {"title": title, "summary": text if len(text) <= SUMMARY_MAX else title, "description": description,
            "tag_list": tag, "terms_of_service": "1"}


class ConsulApiConnector:
    name = "consul_api"
    edit_rules = EditRules(TITLE_MIN, TITLE_MAX, 1, DESCRIPTION_MAX)
    """What staff's edit page checks (CONSUL's web form; the reference lines are checked on sending)."""

    def __init__(self, base_url: str, client_id: Secret, client_secret: Secret, proposal_url: str, *,
                 token_url: str | None = None, responsible_name: str = "", scope: str = "write:proposals",
                 topic_title: Callable[[str, str], str] = lambda tid, _lang: tid,
                 session: requests.Session | None = None, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise PublishConfigError("connectors.consul_api.base_url must be an http(s) URL like https://DOMAIN")
        if "{id}" not in proposal_url:
            raise PublishConfigError("connectors.consul_api.proposal_url needs {id}, e.g. "
                                     "https://mitmachen.example.org/proposals/{id}")
        self.base = base_url.rstrip("/")
        self.token_url = token_url or self.base + "/oauth/token"
        self._client_id, self._client_secret = client_id, client_secret
        self.proposal_url = proposal_url
        self.responsible_name = responsible_name
        self.scope = scope
        self.topic_title = topic_title
        self.session = session or requests.Session()
        self.timeout = timeout
        self._bearer: str | None = None

    @classmethod
    def from_config(cls, table: dict[str, Any],
                    topic_title: Callable[[str, str], str] = lambda tid, _lang: tid) -> ConsulApiConnector:
        for needed in ("base_url", "client_id", "client_secret", "proposal_url"):
            if needed not in table:
                suffix = "_file" if needed.startswith("client_") else ""
                raise PublishConfigError(f"connectors.consul_api.{needed}{suffix} is missing")
        return cls(str(table["base_url"]), table["client_id"], table["client_secret"], str(table["proposal_url"]),
                   token_url=table.get("token_url"), responsible_name=str(table.get("responsible_name", "")),
                   topic_title=topic_title)

    # ---------------------------------------------------------------- API
    def _token(self) -> Outcome | None:
        try:
            resp = self.session.post(self.token_url, timeout=self.timeout, data={
                "grant_type": "client_credentials", "client_id": self._client_id.value,
                "client_secret": self._client_secret.value, "scope": self.scope})
        except requests.RequestException as exc:
            return outcome_of_error(exc, "CONSUL's token endpoint")
        if resp.status_code in (400, 401, 403):
            return Outcome.failed("CONSUL refused the API client (check the client id and secret files named in "
                                  "receiver.toml, that the client is not revoked and holds write:proposals)")
        failure = outcome_of_status(resp, "CONSUL's token endpoint")
        if failure:
            return failure
        try:
            token = resp.json().get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            return Outcome.failed("CONSUL's token endpoint gave no access_token")
        self._bearer = f"Bearer {token}"
        return None

    def find(self, reference_code: str, pages: int = LOOKUP_PAGES) -> str | None:
        """The id of one of CONSUL's newest proposals that carries *reference_code*'s line, if any."""
        line, before = marker(reference_code), None
        for _ in range(pages):
            try:
                resp = self.session.post(self.base + "/graphql", json={"query": RECENT,
                                                                        "variables": {"before": before}},
                                         timeout=self.timeout)
                answer = resp.json() if resp.status_code == 200 else None
            except (requests.RequestException, ValueError):
                return None
            if not isinstance(answer, dict) or answer.get("errors"):
                return None
            conn = (answer.get("data") or {}).get("proposals") or {}
            for edge in conn.get("edges") or []:
                node = (edge or {}).get("node") or {}
                if line in (node.get("description") or "").splitlines():
                    return str(node.get("id"))
            info = conn.get("pageInfo") or {}
            if not info.get("hasPreviousPage"):
                return None
            before = info.get("startCursor")
        return None

    def publish(self, item: PublishItem) -> Outcome:
        locale = str(item.data.get("locale") or "de").split("-")[0]
        fields = proposal_fields(item.data, item.edits, self.topic_title(item.data.get("topic_id") or "", locale))
        if isinstance(fields, str):
            return Outcome.needs_editing(fields)
        if self.responsible_name:
            fields["responsible_name"] = self.responsible_name
        if item.attempts:  # an earlier attempt may have reached CONSUL: never make a second proposal
            found = self.find(item.data.get("reference_code") or "")
            if found:
                return Outcome.published(found, self.proposal_url.replace("{id}", found))
        for attempt in (1, 2):
            if self._bearer is None:
                failure = self._token()
                if failure:
                    return failure
            try:
                resp = self.session.post(self.base + "/api/v1/proposals", json={"proposal": fields},
                                         headers={"Authorization": self._bearer or "", "Accept-Language": locale,
                                                  "Idempotency-Key": item.idempotency_key},
                                         timeout=self.timeout)
            except requests.RequestException as exc:
                return outcome_of_error(exc, "CONSUL")
            if resp.status_code == 401 and attempt == 1:
                self._bearer = None  # expired or revoked: a new token, once
                continue
            break
        if resp.status_code == 401:
            return Outcome.failed("CONSUL refused the token right after issuing it")
        if resp.status_code == 422:
            return Outcome.needs_editing(f"CONSUL refused it: {_errors(resp)}")
        failure = outcome_of_status(resp, "CONSUL")
        if failure:
            return failure
        try:
            proposal_id = resp.json().get("id")
        except (ValueError, AttributeError):
            proposal_id = None
        if proposal_id in (None, ""):
            return Outcome.failed("CONSUL's answer names no proposal")
        return Outcome.published(str(proposal_id), self.proposal_url.replace("{id}", str(proposal_id)))


def _errors(resp: requests.Response) -> str:
    """``title: is too long; summary: can't be blank`` from a 422's ``{"errors": {...}}``."""
    try:
        errors = resp.json().get("errors")
    except (ValueError, AttributeError):
        errors = None
    if isinstance(errors, dict):
        parts = [f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items()]
        return "; ".join(parts)[:300] or "validation failed"
    if isinstance(errors, list):
        return "; ".join(str(e) for e in errors)[:300] or "validation failed"
    return "validation failed"
