"""Staff pages of the outbox: a FastAPI router the receiver's staff web app mounts.

``/staff/outbox``: every publication row with its state; staff retry a failed or
needs-editing row, skip a row, or record "entered as proposal N" for CONSUL's re-entry list.
``/staff/outbox/<id>/<platform>/edit``: a title and text for a platform whose rules the
visitor's did not fit (checked against the platform's rules, with messages in German or
English; the visitor's text stays as it is; the edit goes into the audit log with its
lengths, and the row back to ``pending``).
``/staff/outbox/consul`` (to print) and ``/staff/outbox/consul.csv``: that list.
Server-rendered HTML, German by default (``?lang=en``), texts from the ``outbox.*`` entries of
the message catalogues; every visitor value escaped and isolated (``<bdi>``). Sign-in and CSRF
are the staff app's own (its session cookie and token), passed in as a :class:`StaffGate`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.core.bidi import balance
from kiosk.core.catalogue import Catalogues
from sync.protocol import is_uuid4
from sync.receiver.publish.connectors.consul_list import ConsulListConnector, to_csv
from sync.receiver.publish.outbox import (OUTBOX_STATES, RETRYABLE, SKIPPABLE, EditRules, Outbox, OutboxItem,
                                          edit_problems)

LANGS = ("de", "en")
PLATFORM_NAMES = {"decidim": "Decidim", "consul_api": "CONSUL", "consul_list": "CONSUL", "webhook": "Webhook"}
"""How staff know the connectors (``receiver.toml``'s table names are for the config)."""


@dataclass(frozen=True, slots=True)
class StaffGate:
    """Who is signed in (an account name, or None) and whether a form's CSRF token is theirs."""

    account: Callable[[Request], Awaitable[str | None]]
    csrf: Callable[[Request], Awaitable[str]]
    csrf_ok: Callable[[Request, str | None], Awaitable[bool]]


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("receiver_lang") or "de"
    return lang if lang in LANGS else "de"


def outbox_router(outbox: Outbox, gate: StaffGate, catalogues: Catalogues,
                  topic_title: Callable[[str, str], str] = lambda tid, _lang: tid) -> APIRouter:
    router = APIRouter()
    esc = html.escape

    def t(key: str, lang: str) -> str:
        return esc(catalogues.text(key, lang))

    def visitor(value: Any) -> str:
        return f"<bdi>{esc(balance(str(value or '')))}</bdi>"

    def page(lang: str, title: str, body: str) -> HTMLResponse:
        other = "en" if lang == "de" else "de"
        return HTMLResponse(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_CSS}</style></head><body><nav><a href=\"/staff/overview\">Staff</a> · "
            f'<a href="/staff/outbox?lang={lang}">{t("outbox.title", lang)}</a> · '
            f'<a href="/staff/outbox/consul?lang={lang}">{t("outbox.consul.title", lang)}</a> · '
            f'<a href="?lang={other}" hreflang="{other}">{esc(catalogues.name(other))}</a></nav>'
            f"<main><h1>{title}</h1>{body}</main></body></html>",
            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                     "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"})

    async def signed_in(request: Request) -> str | Response:
        account = await gate.account(request)
        if account is None:
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/staff/login?" + urlencode({"next": here}), status_code=303)
        return account

    def form_for(item: OutboxItem, action: str, label: str, csrf: str, lang: str, extra: str = "") -> str:
        return (f'<form method="post" action="/staff/outbox/{item.submission_id}/{esc(item.connector)}/{action}'
                f'?lang={lang}">{extra}<input type="hidden" name="csrf" value="{esc(csrf)}">'
                f"<button>{t(label, lang)}</button></form>")

    def editable(item: OutboxItem) -> bool:
        rules = getattr(outbox.connectors.get(item.connector), "edit_rules", None)
        return item.state == "needs_editing" or (item.state == "failed" and rules is not None)

    def actions(item: OutboxItem, csrf: str, lang: str) -> str:
        out = []
        manual = getattr(outbox.connectors.get(item.connector), "manual", False)
        if manual and item.state == "pending":
            out.append(form_for(item, "entered", "outbox.entered.save", csrf, lang,
                                f'<label>{t("outbox.entered", lang)} <input name="proposal" inputmode="numeric" '
                                'pattern="[0-9]{1,12}" required size="8"></label> '))
        if item.state in RETRYABLE:
            out.append(form_for(item, "retry", "outbox.retry", csrf, lang))
        if editable(item):
            out.append(f'<a class="edit" href="/staff/outbox/{item.submission_id}/{esc(item.connector)}/edit'
                       f'?lang={lang}">{t("outbox.edit.open", lang)}</a> ')
        if item.state in SKIPPABLE:
            out.append(form_for(item, "skip", "outbox.skip", csrf, lang))
        return "".join(out)

    @router.get("/staff/outbox", include_in_schema=False)
    async def overview(request: Request) -> Response:
        who = await signed_in(request)
        if isinstance(who, Response):
            return who
        lang, csrf = _lang(request), await gate.csrf(request)
        state = request.query_params.get("state")
        items = await run_in_threadpool(outbox.items, [state] if state in OUTBOX_STATES else None)
        filters = " · ".join(f'<a href="?state={s}&lang={lang}">{t("outbox.state." + s, lang)}</a>'
                             for s in OUTBOX_STATES)
        def link(url: str | None) -> str:
            return f' <a href="{esc(url)}">{esc(url)}</a>' if url else ""

        rows = "".join(
            f'<tr><td><a href="/staff/items/{i.submission_id}"><code>{i.submission_id[:8]}</code></a></td>'
            f'<td>{esc(i.connector)}</td><td class="state-{i.state}">{t("outbox.state." + i.state, lang)}</td>'
            f"<td>{esc(i.last_error or '')}{link(i.remote_url)}</td>"
            f"<td>{actions(i, csrf, lang)}</td></tr>" for i in items)
        table = (f"<p>{filters}</p><table><tr><th>{t('outbox.col.item', lang)}</th>"
                 f"<th>{t('outbox.col.connector', lang)}</th><th>{t('outbox.col.state', lang)}</th>"
                 f"<th>{t('outbox.col.note', lang)}</th><th>{t('outbox.col.actions', lang)}</th></tr>{rows}</table>"
                 if items else f"<p>{filters}</p><p>{t('outbox.empty', lang)}</p>")
        return page(lang, t("outbox.title", lang), table)

    @router.post("/staff/outbox/{submission_id}/{connector}/{action}", include_in_schema=False)
    async def change(submission_id: str, connector: str, action: str, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10, max_part_size=64 * 1024)
        who = await gate.account(request)
        if who is None or not await gate.csrf_ok(request, form.get("csrf")):
            return HTMLResponse("403", status_code=403)
        if not is_uuid4(submission_id) or connector not in outbox.connectors:
            return HTMLResponse("404", status_code=404)
        if action == "retry":
            await run_in_threadpool(outbox.retry, submission_id, connector)
        elif action == "skip":
            await run_in_threadpool(outbox.skip, submission_id, connector)
        elif action == "edit":
            title, body = str(form.get("title") or ""), str(form.get("body") or "")
            row, data = await run_in_threadpool(row_and_data, submission_id, connector)
            if row is None or not editable(row):
                return await edit_page(request, submission_id, connector, title, body,
                                       [("outbox.edit.error.state", {})], status=409)
            # a field left as the visitor wrote it is no edit (the connector takes the visitor's own)
            new_title = "" if title.strip() == (data.get("title") or "").strip() else title
            new_body = "" if body.strip() == (data.get("text") or "").strip() else body
            problems = edit_problems(rules_of(connector), new_title, new_body)
            if problems:  # the form again, with what staff typed
                return await edit_page(request, submission_id, connector, title, body, problems, status=422)
            await run_in_threadpool(lambda: outbox.edit(submission_id, connector, actor=who, title=new_title,
                                                        body=new_body))
            return RedirectResponse(f"/staff/outbox?lang={_lang(request)}", status_code=303)
        elif action == "entered":
            number = str(form.get("proposal") or "").strip()
            conn = outbox.connectors[connector]
            if re.fullmatch(r"[0-9]{1,12}", number) and isinstance(conn, ConsulListConnector):
                await run_in_threadpool(outbox.record_manual, submission_id, connector, number, conn.url_of(number))
        else:
            return HTMLResponse("404", status_code=404)
        back = request.headers.get("referer", "")
        target = back if back.startswith(str(request.base_url) + "staff/outbox") else f"/staff/outbox?lang={_lang(request)}"
        return RedirectResponse(target, status_code=303)

    def rules_of(connector: str) -> EditRules:
        return getattr(outbox.connectors.get(connector), "edit_rules", None) or EditRules()

    def edits_of(item: OutboxItem) -> dict[str, str]:
        return json.loads(item.edits) if item.edits else {}

    def row_and_data(submission_id: str, connector: str) -> tuple[OutboxItem | None, dict[str, Any]]:
        row = next((i for i in outbox.of(submission_id) if i.connector == connector), None)
        stored = outbox.store.get(submission_id)
        return row, (json.loads(stored.canonical) if stored is not None and stored.canonical else {})

    async def edit_page(request: Request, submission_id: str, connector: str, title: str | None, body: str | None,
                        problems: list[tuple[str, dict[str, int]]], status: int = 200) -> Response:
        """The edit form (again, with the messages and what staff typed, after a refusal)."""
        lang, csrf = _lang(request), await gate.csrf(request)
        row, data = await run_in_threadpool(row_and_data, submission_id, connector)
        if row is None or not data:
            return HTMLResponse("404", status_code=404)
        edits, rules = edits_of(row), rules_of(connector)
        title = title if title is not None and title.strip() else edits.get("title", data.get("title") or "")
        body = body if body is not None and body.strip() else edits.get("body", data.get("text") or "")
        platform = esc(PLATFORM_NAMES.get(connector, connector))
        alert = ("<div class=\"problems\" role=\"alert\"><ul>" + "".join(
            f"<li>{esc(catalogues.format(key, lang, **values))}</li>" for key, values in problems)
            + "</ul></div>") if problems else ""
        limits = esc(catalogues.format("outbox.edit.rules", lang, platform=PLATFORM_NAMES.get(connector, connector),
                                       title_min=rules.title_min, title_max=rules.title_max, body_min=rules.body_min))
        why = f'<p><strong>{t("outbox.edit.why", lang)}</strong> {esc(row.last_error or "")}</p>' if row.last_error \
            else ""
        body_html = (
            f"<p><code>{esc(data.get('reference_code') or '')}</code> · {platform} · "
            f'{t("outbox.state." + row.state, lang)}</p>{why}{alert}'
            f'<h2>{t("outbox.edit.original", lang)}</h2><blockquote><p><strong>{visitor(data.get("title"))}</strong></p>'
            f'<p class="text">{visitor(data.get("text"))}</p></blockquote>'
            f'<form method="post" action="/staff/outbox/{submission_id}/{esc(connector)}/edit?lang={lang}" class="edit">'
            f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
            f'<p id="edit-rules" class="hint">{limits}</p>'
            f'<p><label for="edit-title">{t("outbox.edit.title", lang)}</label><br>'
            f'<input id="edit-title" name="title" size="70" maxlength="{rules.title_max + 50}" '
            f'aria-describedby="edit-rules" value="{esc(title)}"></p>'
            f'<p><label for="edit-body">{t("outbox.edit.body", lang)}</label><br>'
            f'<textarea id="edit-body" name="body" rows="10" cols="70" aria-describedby="edit-rules">'
            f"{esc(body)}</textarea></p>"
            f'<button>{t("outbox.edit", lang)}</button></form>')
        response = page(lang, f'{t("outbox.edit.heading", lang)}: {platform}', body_html)
        response.status_code = status
        return response

    @router.get("/staff/outbox/{submission_id}/{connector}/edit", include_in_schema=False)
    async def edit_form(submission_id: str, connector: str, request: Request) -> Response:
        who = await signed_in(request)
        if isinstance(who, Response):
            return who
        if not is_uuid4(submission_id) or connector not in outbox.connectors:
            return HTMLResponse("404", status_code=404)
        return await edit_page(request, submission_id, connector, None, None, [])

    def consul_rows(lang: str) -> list[tuple[OutboxItem, dict[str, str]]]:
        conn = next((c for c in outbox.connectors.values() if isinstance(c, ConsulListConnector)), None)
        if conn is None:
            return []
        out = []
        for item in outbox.items(["pending"], limit=5000):
            if item.connector != conn.name:
                continue
            stored = outbox.store.get(item.submission_id)
            if stored is None or not stored.canonical:
                continue
            data = json.loads(stored.canonical)
            out.append((item, conn.row(data, topic_title(data.get("topic_id", ""), lang))))
        return out

    def reference(url: str) -> str:
        """The attached platform item's link (an https URL, checked by ``platform_item``), or a dash."""
        return f'<a href="{esc(url)}" rel="noreferrer"><bdi>{esc(url)}</bdi></a>' if url else "–"

    @router.get("/staff/outbox/consul", include_in_schema=False)
    async def consul_list(request: Request) -> Response:
        who = await signed_in(request)
        if isinstance(who, Response):
            return who
        lang, csrf = _lang(request), await gate.csrf(request)
        rows = await run_in_threadpool(consul_rows, lang)
        cards = "".join(
            f'<article><h2><code>{esc(r["reference_code"])}</code> {visitor(r["title"])}</h2>'
            f'<p class="text">{visitor(r["text"])}</p><dl><dt>{t("outbox.consul.tag", lang)}</dt><dd>{visitor(r["tag"])}</dd>'
            f'<dt>{t("outbox.consul.geozone", lang)}</dt><dd>{visitor(r["geozone"]) if r["geozone"] else "–"}</dd>'
            f'<dt>{t("outbox.consul.author", lang)}</dt><dd>{visitor(r["author_name"]) if r["author_name"] else "–"}</dd>'
            f'<dt>{t("outbox.consul.reference", lang)}</dt><dd>{reference(r["reference"])}</dd>'
            f"</dl>{actions(item, csrf, lang)}</article>" for item, r in rows)
        body = (f'<p><a href="/staff/outbox/consul.csv">{t("outbox.consul.csv", lang)}</a></p>'
                f"{cards or '<p>' + t('outbox.empty', lang) + '</p>'}")
        return page(lang, t("outbox.consul.title", lang), body)

    @router.get("/staff/outbox/consul.csv", include_in_schema=False)
    async def consul_csv(request: Request) -> Response:
        who = await signed_in(request)
        if isinstance(who, Response):
            return who
        rows = await run_in_threadpool(consul_rows, _lang(request))
        return Response(to_csv([r for _i, r in rows]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="consul-re-entry.csv"',
                                 "Cache-Control": "no-store"})

    return router


_CSS = ("body{font-family:system-ui,sans-serif;margin:1rem;color:#1d1d1f}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:start}form{display:inline}"
        "article{border:1px solid #999;padding:.5rem 1rem;margin:.5rem 0;break-inside:avoid}"
        ".text{white-space:pre-wrap}.problems{border:2px solid #b00020;padding:.2rem 1rem;color:#b00020}"
        "form.edit{display:block}blockquote{border-inline-start:4px solid #999;margin:0;padding-inline-start:1rem}"
        "@media print{nav,form{display:none}}")
