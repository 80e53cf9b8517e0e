"""Fuzzing the bundle reader (issue #14) with ZIPs built from the format: real bundles of
generated submissions, then members renamed, doubled, dropped, replaced, turned into links, and
manifests and lines changed field by field to any JSON value (the manifest made to match or not).

``verify_bundle`` always returns a report (never raises) in bounded memory; ``kiosk
verify-bundle`` exits 0 or 2 without "unexpected error"; a bundle that verifies also reads back
and imports into a real receiver store.
"""

from __future__ import annotations

import json
import stat
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from bundle_helpers import manifest_for, pack, read_members, real_bundle, verify_measured
from fuzz_helpers import ODD_TEXT, fuzz_settings, json_values
from kiosk.cli import main
from kiosk.core.export import BundleItem, iter_bundle
from kiosk.core.model import SYNC_STATES
from sync.receiver.bundle_import import import_bundle
from sync.receiver.storage import ReceiverStore
from sync_helpers import make_drawing, make_idea

MiB = 1024 * 1024


@st.composite
def items(draw) -> list[BundleItem]:
    out = []
    for i in range(draw(st.integers(0, 3))):
        text = draw(st.text(max_size=50) | ODD_TEXT.filter(lambda t: t.encode("utf-8", "replace") and not any(
            0xD800 <= ord(c) <= 0xDFFF for c in t)))
        sub = make_drawing(i) if draw(st.booleans()) else make_idea(i, text=text[:10_000])
        out.append(BundleItem(sub, draw(st.sampled_from(SYNC_STATES)), None, None))
    return out


ODD_NAMES = st.sampled_from(["../../x", "/etc/x", "drawings/../../x", "drawings/", "ideas.csv", "submissions.jsonl",
                             "manifest.json", "drawings/x.png", "C:\\x", "drawings/\x00.png"]) | st.text(min_size=1, max_size=20)


@st.composite
def mutated(draw, members: list, manifest: dict) -> tuple[list, object]:
    """Up to three changes to a real bundle's members and manifest."""
    members = list(members)
    match = True  # make the manifest's files match the members afterwards
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.sampled_from(["rename", "double", "drop", "bytes", "manifest", "files", "line", "link",
                                       "line", "manifest"]))
        at = draw(st.integers(0, max(len(members) - 1, 0)))
        if change == "rename" and members:
            members[at] = (draw(ODD_NAMES), members[at][1])
        elif change == "double" and members:
            members.append(members[at])
        elif change == "drop" and members:
            members.pop(at)
        elif change == "bytes" and members:
            members[at] = (members[at][0], draw(st.binary(max_size=200)))
            match = draw(st.booleans())
        elif change == "link" and members:
            info = zipfile.ZipInfo(members[at][0] if isinstance(members[at][0], str) else members[at][0].filename)
            info.external_attr = (draw(st.sampled_from([stat.S_IFLNK, stat.S_IFDIR, stat.S_IFIFO, 0])) | 0o644) << 16
            members[at] = (info, members[at][1])
        elif change == "manifest":
            manifest = {**manifest, draw(st.sampled_from(["format", "format_version", "counts", "files", "tombstones",
                                                          "x"])): draw(json_values())}
            match = False
        elif change == "files":
            match = False
            files = list(manifest.get("files", [])) if isinstance(manifest.get("files"), list) else []
            if files:
                entry = dict(files[at % len(files)]) if isinstance(files[at % len(files)], dict) else {}
                entry[draw(st.sampled_from(["path", "sha256", "size"]))] = draw(
                    json_values(3) | st.integers(-1, 10 ** 12) | ODD_NAMES)
                files[at % len(files)] = entry
            manifest = {**manifest, "files": files}
        elif change == "line":
            members = [(n, _change_line(draw, d)) if n == "submissions.jsonl" else (n, d) for n, d in members]
    if match and isinstance(manifest, dict):
        manifest = manifest_for(members, manifest)
    if draw(st.integers(0, 19)) == 0:
        manifest = draw(json_values())
    return members, manifest


def _change_line(draw, data: bytes) -> bytes:
    lines = data.splitlines() or [b"{}"]
    n = draw(st.integers(0, len(lines) - 1))
    try:
        line = json.loads(lines[n])
    except ValueError:
        line = {}
    where = draw(st.sampled_from(["submission", "sync", "whole"]))
    if where == "whole" or not isinstance(line, dict):
        line = draw(json_values())
    elif isinstance(line.get(where), dict):
        line[where][draw(st.sampled_from(["id", "kind", "blobs", "status", "receipt", "text", "kiosk_id", "x"]))] = \
            draw(json_values(4) | ODD_TEXT)
    else:
        line[where] = draw(json_values())
    lines[n] = json.dumps(line).encode()
    return b"\n".join(lines) + b"\n"


@fuzz_settings(120)
@given(data=st.data())
def test_any_bundle_built_from_the_format_is_verified_or_refused_by_name(tmp_path_factory, capsys, data):
    folder = tmp_path_factory.mktemp("bundle")
    manifest, members = read_members(real_bundle(folder / "out", data.draw(items())))
    members, manifest = data.draw(mutated(members, manifest))
    path = pack(folder / "fuzzed.zip", members, manifest,
                compression=data.draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])))

    report, peak = verify_measured(path)
    assert peak < 16 * MiB
    assert all(isinstance(p, str) and ": " in p for p in report.problems)
    code = main(["verify-bundle", str(path)])
    out = capsys.readouterr()
    assert code == (0 if report.ok else 2)
    assert "unexpected error" not in out.err and "Traceback" not in out.err
    if report.ok:
        back = list(iter_bundle(path))
        store = ReceiverStore(folder / "receiver")
        try:
            result = import_bundle(store, path, include_withheld=True)
        finally:
            store.close()
        assert result.created + result.existing == len(back)
