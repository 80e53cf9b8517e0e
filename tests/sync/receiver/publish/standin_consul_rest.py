"""A stand-in for CONSUL Democracy's PLANNED REST API on 127.0.0.1: NOT CONSUL, and not a released
API either. It follows the upstream plan as far as it is written down (consuldemocracy#6516:
OAuth2 client credentials with scopes such as ``write:proposals``; #6529: ``POST
/api/v1/proposals``, ``PATCH /api/v1/proposals/:id``, validated like the web form) and fills the
gaps the way ``sync/receiver/publish/connectors/consul_api.py`` assumes (``POST /oauth/token``,
``{"proposal": {...}}``, 201 with the id, 422 with ``{"errors": {field: [...]}}``). The web
form's rules are CONSUL's ``app/models/proposal.rb``: title 4-80, summary present, description
at most 6000, terms of service accepted, a responsible name of 6-60 characters.

The public read-only GraphQL API at ``/graphql`` is the CONSUL stand-in's
(``tests/sync/standin_consul.py``), and shows the proposals created here too.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from urllib.parse import parse_qs

from tests.sync.standin_consul import ConsulStandIn, connection

FAKE_CLIENT_ID = "fake-consul-client-id-0000"          # made-up test credentials, not real ones
FAKE_CLIENT_SECRET = "fake-consul-client-secret-0000"


class ConsulRestStandIn(ConsulStandIn):
    def __init__(self, proposals: int = 30) -> None:
        super().__init__(proposals=proposals, debates=0)
        self.tokens: set[str] = set()
        self.created: list[dict] = []          # what came in through POST, in order
        self.token_requests = 0
        self.idempotency_keys: list[str] = []
        self.fail_writes = 0                   # answer 500 to this many POSTs of proposals
        self.write_delay_s = 0.0
        self.drop_answer_once = False          # create the proposal, then answer 502
        self.on_create: Callable[[int], None] = lambda _n: None  # after creating, before answering

    def _json(self, status: int, body: object) -> tuple[int, dict, bytes]:
        return status, {"content-type": "application/json"}, json.dumps(body).encode()

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        if path == "/graphql":
            return super().handle(method, path, headers, body)
        lower = {k.lower(): v for k, v in headers.items()}
        if path == "/oauth/token" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            with self.lock:
                self.token_requests += 1
            if form.get("grant_type") != "client_credentials":
                return self._json(400, {"error": "unsupported_grant_type"})
            if (form.get("client_id"), form.get("client_secret")) != (FAKE_CLIENT_ID, FAKE_CLIENT_SECRET):
                return self._json(401, {"error": "invalid_client"})
            if "write:proposals" not in form.get("scope", "").split():
                return self._json(400, {"error": "invalid_scope"})
            token = secrets.token_urlsafe(24)
            with self.lock:
                self.tokens.add(token)
            return self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 7200,
                                    "scope": "write:proposals"})
        match = re.fullmatch(r"/api/v1/proposals(?:/(\d+))?", path)
        if not match:
            return 404, {}, b""
        if lower.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return self._json(401, {"error": "invalid_token"})
        time.sleep(self.write_delay_s)
        with self.lock:
            if self.fail_writes:
                self.fail_writes -= 1
                return 500, {}, b"Internal Server Error"
        try:
            fields = json.loads(body)["proposal"]
            assert isinstance(fields, dict)
        except (ValueError, KeyError, TypeError, AssertionError):
            return self._json(400, {"error": "a JSON object {\"proposal\": {...}} is expected"})
        if method == "PATCH" and match.group(1):
            return self._json(403, {"error": "only the author may change a proposal"})
        if method != "POST" or match.group(1):
            return 404, {}, b""
        errors = self._validate(fields)
        if errors:
            return self._json(422, {"errors": errors})
        with self.lock:
            self.idempotency_keys.append(lower.get("idempotency-key", ""))
            number = len(self.data["proposals"]) + 1
            tags = [{"id": "9", "name": t} for t in str(fields.get("tag_list", "")).split(",") if t.strip()]
            proposal = {"id": str(number), "title": fields["title"], "summary": fields["summary"],
                        "description": fields.get("description", ""), "publicCreatedAt": "2026-06-01 10:00:00 +0200",
                        "geozone": None, "tags": lambda _info, first=None, after=None, tags=tags:
                        connection(tags, first, after)}
            self.data["proposals"].append(proposal)
            self.created.append({**fields, "id": str(number)})
            n = len(self.created)
        self.on_create(n)
        if self.drop_answer_once:
            self.drop_answer_once = False
            return 502, {}, b"Bad Gateway"
        return self._json(201, {"id": number, "title": fields["title"], "url": f"/proposals/{number}"})

    @staticmethod
    def _validate(fields: dict) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        title = str(fields.get("title") or "")
        if not title:
            errors["title"] = ["can't be blank"]
        elif len(title) < 4:
            errors["title"] = ["is too short (minimum is 4 characters)"]
        elif len(title) > 80:
            errors["title"] = ["is too long (maximum is 80 characters)"]
        if not str(fields.get("summary") or "").strip():
            errors["summary"] = ["can't be blank"]
        if len(str(fields.get("description") or "")) > 6000:
            errors["description"] = ["is too long (maximum is 6000 characters)"]
        if str(fields.get("terms_of_service")) != "1":
            errors["terms_of_service"] = ["must be accepted"]
        name = str(fields.get("responsible_name") or "")
        if not 6 <= len(name) <= 60:
            errors["responsible_name"] = ["is too short (minimum is 6 characters)" if len(name) < 6
                                          else "is too long (maximum is 60 characters)"]
        return errors
