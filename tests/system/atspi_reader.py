"""Reads the kiosk through the AT-SPI accessibility bus, as a screen reader does: run by /usr/bin/python3.

pyatspi is a Debian package (python3-pyatspi, with gir1.2-atspi-2.0) for the system's
interpreter, so this runs apart from the kiosk and from the test's own interpreter, and
answers one JSON question per line on stdin with one JSON line on stdout:

- ``{"cmd": "tree"}``: every element of the kiosk's window a person can see (state
  SHOWING), in tree order: ``id`` (its objectName, the last part of Qt's accessible id),
  ``path`` (the whole id), ``role``, ``name``, ``description``, ``extents`` (x, y, w, h on
  the screen), ``actions``, ``states`` and, for a text element, ``text``.
- ``{"cmd": "do", "id": "attract_ideas", "action": "Press"}``: perform that action of the
  showing element with that objectName.
- ``{"cmd": "insert", "id": "ideas_title", "text": "…"}``: type at the end of an editable
  text element through its EditableText interface.

Nothing is cached between questions: every answer is what the bus says now.
"""

from __future__ import annotations

import json
import sys

import pyatspi

WANTED = (pyatspi.STATE_ENABLED, pyatspi.STATE_SENSITIVE, pyatspi.STATE_FOCUSABLE, pyatspi.STATE_FOCUSED,
          pyatspi.STATE_CHECKABLE, pyatspi.STATE_CHECKED, pyatspi.STATE_EDITABLE, pyatspi.STATE_SELECTED,
          pyatspi.STATE_PRESSED, pyatspi.STATE_READ_ONLY)


def kiosk_app():  # noqa: ANN201
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None:
            continue
        for j in range(app.childCount):
            child = app.getChildAtIndex(j)
            if child is not None and (child.accessibleId or "").endswith("main_window"):
                app.clear_cache()
                return app
    return None


def describe(acc) -> dict:  # noqa: ANN001
    states = acc.getState()
    ext = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    try:
        action = acc.queryAction()
        actions = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        actions = []
    node = {"path": acc.accessibleId or "", "id": (acc.accessibleId or "").rsplit(".", 1)[-1],
            "role": acc.getRoleName(), "name": acc.name or "", "description": acc.description or "",
            "extents": [ext.x, ext.y, ext.width, ext.height], "actions": actions,
            "states": [pyatspi.stateToString(s) for s in WANTED if states.contains(s)]}
    try:
        text = acc.queryText()
        node["text"] = text.getText(0, -1)
    except NotImplementedError:
        pass
    return node


def walk(acc, out: list[dict], depth: int = 0) -> None:  # noqa: ANN001
    if acc is None or depth > 60:
        return
    states = acc.getState()
    if depth > 1 and not states.contains(pyatspi.STATE_SHOWING):
        return  # a hidden page of a stack: nothing under it is seen either
    if depth > 0:
        out.append({**describe(acc), "depth": depth})
    for i in range(acc.childCount):
        walk(acc.getChildAtIndex(i), out, depth + 1)


def find(app, object_name: str):  # noqa: ANN001, ANN201
    hits = []

    def look(acc, depth: int = 0) -> None:  # noqa: ANN001
        if acc is None or depth > 60:
            return
        if depth > 1 and not acc.getState().contains(pyatspi.STATE_SHOWING):
            return
        if (acc.accessibleId or "").rsplit(".", 1)[-1] == object_name:
            hits.append(acc)
        for i in range(acc.childCount):
            look(acc.getChildAtIndex(i), depth + 1)

    look(app)
    return hits


def answer(req: dict) -> dict:
    app = kiosk_app()
    if app is None:
        desktop = pyatspi.Registry.getDesktop(0)
        apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
        seen = [(a.name, [a.getChildAtIndex(j).accessibleId for j in range(a.childCount)]) for a in apps if a]
        return {"error": f"no kiosk application on the accessibility bus (there: {seen})"}
    if req["cmd"] == "tree":
        out: list[dict] = []
        walk(app, out)
        return {"nodes": out}
    hits = find(app, req["id"])
    if len(hits) != 1:
        return {"error": f"{len(hits)} showing elements with the id {req['id']!r}"}
    acc = hits[0]
    if req["cmd"] == "do":
        action = acc.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        if req["action"] not in names:
            return {"error": f"{req['id']} has the actions {names}, not {req['action']!r}"}
        return {"done": bool(action.doAction(names.index(req["action"])))}
    if req["cmd"] == "insert":
        editable = acc.queryEditableText()
        end = acc.queryText().characterCount
        return {"done": bool(editable.insertText(end, req["text"], len(req["text"])))}
    return {"error": f"unknown command {req['cmd']!r}"}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            reply = answer(req)
        except Exception as exc:  # noqa: BLE001 - the bus's own errors go back to the test as text
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps({**reply, "id": req.get("id")}) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
