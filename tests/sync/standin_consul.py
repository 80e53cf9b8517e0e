"""A CONSUL Democracy stand-in on 127.0.0.1: NOT CONSUL, a GraphQL server (graphql-core) over the
public, read-only part of CONSUL's schema as read in consuldemocracy ``app/graphql/types/``
(``query_type.rb``: connection fields per type; ``proposal_type.rb``, ``debate_type.rb``,
``tag_type.rb``, ``geozone_type.rb``; graphql-ruby camel-cases the field names), with the limits
of ``app/graphql/consul_schema.rb`` (``default_max_page_size 25``, ``max_depth 8``) and of its API
documentation (at most 2 collections per query), plus slow and failing answers on demand.
"""

from __future__ import annotations

import json
import threading
import time

from graphql import (FieldNode, GraphQLError, OperationDefinitionNode, ValidationRule, build_schema, graphql_sync,
                     parse, validate)

from tests.sync.receiver.publish.standins import StandIn

SDL = """
type Query {
  proposals(first: Int, after: String, last: Int, before: String): ProposalConnection!
  proposal(id: ID!): Proposal!
  debates(first: Int, after: String, last: Int, before: String): DebateConnection!
  debate(id: ID!): Debate!
  tags(first: Int, after: String): TagConnection!
  geozones(first: Int, after: String): GeozoneConnection!
}
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Proposal {
  id: ID!
  title: String
  summary: String
  description: String
  publicCreatedAt: String
  cachedVotesUp: Int
  commentsCount: Int
  geozone: Geozone
  geozoneId: Int
  tags(first: Int, after: String): TagConnection
}
type Debate {
  id: ID!
  title: String
  description: String
  publicCreatedAt: String
  commentsCount: Int
  tags(first: Int, after: String): TagConnection
}
type Tag { id: ID! name: String kind: String taggingsCount: Int }
type Geozone { id: ID! name: String }
type ProposalConnection { edges: [ProposalEdge] nodes: [Proposal] pageInfo: PageInfo! }
type ProposalEdge { cursor: String! node: Proposal }
type DebateConnection { edges: [DebateEdge] nodes: [Debate] pageInfo: PageInfo! }
type DebateEdge { cursor: String! node: Debate }
type TagConnection { edges: [TagEdge] nodes: [Tag] pageInfo: PageInfo! }
type TagEdge { cursor: String! node: Tag }
type GeozoneConnection { edges: [GeozoneEdge] nodes: [Geozone] pageInfo: PageInfo! }
type GeozoneEdge { cursor: String! node: Geozone }
"""

MAX_DEPTH, MAX_COLLECTIONS, PAGE = 8, 2, 25


def _depth(node, fragments) -> int:  # noqa: ANN001
    sel = getattr(node, "selection_set", None)
    if not sel:
        return 0
    return 1 + max((_depth(s, fragments) for s in sel.selections), default=0)


class Limits(ValidationRule):
    """CONSUL's limits: depth at most 8, at most 2 collections (connection fields) per query."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:  # noqa: ANN002
        depth = _depth(node, {}) - 1
        if depth > MAX_DEPTH:
            self.report_error(GraphQLError(f"Query has depth of {depth}, which exceeds max depth of {MAX_DEPTH}"))
        collections = 0
        stack = list(node.selection_set.selections)
        while stack:
            field = stack.pop()
            if isinstance(field, FieldNode) and field.name.value in ("proposals", "debates", "tags", "geozones",
                                                                      "comments", "votesFor"):
                collections += 1
            if getattr(field, "selection_set", None):
                stack.extend(field.selection_set.selections)
        if collections > MAX_COLLECTIONS:
            self.report_error(GraphQLError(f"Query has {collections} collections; at most {MAX_COLLECTIONS}"))


def connection(items: list, first: int | None, after: str | None, last: int | None = None,
               before: str | None = None) -> dict:
    """A Relay connection as graphql-ruby slices it: after/before narrow, first/last take from
    the front/back, each clamped to the page size; cursors are 1-based positions."""
    lo = int(after) if after else 0
    hi = min(int(before) - 1, len(items)) if before else len(items)
    if last is not None and first is None:
        start = max(lo, hi - min(last, PAGE))
        page = items[start:hi]
    else:
        start = lo
        page = items[start:min(hi, start + min(first or PAGE, PAGE))]  # clamped to default_max_page_size
    end = start + len(page)
    return {"edges": [{"cursor": str(start + i + 1), "node": n} for i, n in enumerate(page)], "nodes": page,
            "pageInfo": {"hasNextPage": end < len(items), "hasPreviousPage": start > 0,
                         "startCursor": str(start + 1) if page else None, "endCursor": str(end) if page else None}}


class ConsulStandIn(StandIn):
    def __init__(self, proposals: int = 60, debates: int = 7) -> None:
        super().__init__()
        self.schema = build_schema(SDL)
        self.lock = threading.Lock()
        self.requests = 0
        self.pages_asked: list[int | None] = []
        self.fail_next = 0
        self.delay_s = 0.0
        tags = [{"id": "1", "name": "Mobilität"}, {"id": "2", "name": "Grün"}]
        zones = [{"id": "1", "name": "Lobeda"}, {"id": "2", "name": "Zentrum"}]

        def proposal(i: int) -> dict:
            return {"id": str(i), "title": f"Vorschlag {i}: Radweg Nummer {i}", "summary": f"Kurz gesagt: {i} ☀",
                    "description": f"<p>Lang {i}</p>", "publicCreatedAt": "2024-06-01 10:00:00 +0200",
                    "geozone": zones[i % 2],
                    "tags": lambda _info, first=None, after=None, i=i: connection(tags[: 1 + i % 2], first, after)}

        def debate(i: int) -> dict:
            return {"id": str(i), "title": f"Debatte {i}", "description": f"<p>Worüber <b>wir</b> reden: {i}</p>",
                    "tags": lambda _info, first=None, after=None: connection(tags[:1], first, after)}

        self.data = {"proposals": [proposal(i) for i in range(1, proposals + 1)],
                     "debates": [debate(i) for i in range(1, debates + 1)]}

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        if path != "/graphql":
            return 404, {}, b""
        with self.lock:
            self.requests += 1
            if self.fail_next:
                self.fail_next -= 1
                return 503, {}, b"Service Unavailable"
        time.sleep(self.delay_s)
        request = json.loads(body)
        try:
            document = parse(request["query"])
        except GraphQLError as exc:
            return 200, {"content-type": "application/json"}, json.dumps({"errors": [exc.formatted]}).encode()
        errors = validate(self.schema, document, rules=None) + validate(self.schema, document, [Limits])
        if errors:
            return 200, {"content-type": "application/json"}, \
                json.dumps({"errors": [e.formatted for e in errors]}).encode()
        variables = request.get("variables") or {}
        with self.lock:
            self.pages_asked.append(variables.get("after"))
        root = {name: (lambda _info, first=None, after=None, last=None, before=None, name=name:
                       connection(self.data[name], first, after, last, before)) for name in ("proposals", "debates")}
        result = graphql_sync(self.schema, request["query"], root_value=root, variable_values=variables)
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        return 200, {"content-type": "application/json"}, json.dumps(out).encode()
