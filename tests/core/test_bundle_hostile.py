"""Bundles made by someone else (issue #14): verify and import read them with bounded memory,
inflate nothing past its declared size, apply the receiver's limits, refuse odd member names,
symbolic links and duplicates, and name what is wrong with a malformed manifest or line.
``kiosk verify-bundle`` says so in plain lines and exits 2; ``kiosk receiver import`` stores nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from bundle_helpers import manifest_for, pack, read_members, real_bundle, verify_measured
from kiosk.cli import main
from kiosk.core.export import BundleItem, iter_bundle, verify_bundle
from kiosk.core.model import Blob
from sync.protocol import Limits
from sync.receiver.bundle_import import ImportRefused, import_into_data_dir
from sync_helpers import make_drawing, make_idea, receiver_digests

MiB = 1024 * 1024


@pytest.fixture
def bundle(tmp_path) -> Path:
    return real_bundle(tmp_path / "out", [BundleItem(make_idea(1)), BundleItem(make_drawing(2))])


def verify_cli(capsys, path: Path, *args: str) -> tuple[int, str]:
    code = main(["verify-bundle", str(path), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def assert_refused(capsys, path: Path, words: str, tmp_path: Path) -> None:
    """verify names it (exit 2, no traceback) and the receiver imports nothing."""
    report = verify_bundle(path)
    assert not report.ok and words in report.problems[0], report.problems
    code, out = verify_cli(capsys, path)
    assert code == 2 and words in out
    assert "Traceback" not in out and "unexpected error" not in out
    receiver = tmp_path / "receiver"
    with pytest.raises(ImportRefused, match="nothing imported"):
        import_into_data_dir(receiver, path)
    assert receiver_digests(receiver) == {}


def big_drawing_bundle(tmp_path: Path, size: int) -> Path:
    """A small ZIP whose drawing inflates to ``size`` bytes, every digest in the manifest right:
    a real bundle, its members deflated (the writer stores PNGs as they are)."""
    sub = make_drawing(5)
    huge = sub.with_blobs((Blob("png", b"\x89PNG\r\n\x1a\n" + bytes(size - 8)), sub.blob("strokes")))
    manifest, members = read_members(real_bundle(tmp_path / "seed", [BundleItem(huge)]))
    return pack(tmp_path / "big.zip", members, manifest)


def test_a_drawing_over_the_limit_is_refused_unread_in_little_memory(tmp_path, capsys):
    path = big_drawing_bundle(tmp_path, 40 * MiB)
    assert path.stat().st_size < MiB
    report, peak = verify_measured(path)
    assert not report.ok and "a drawing may have at most 8388608" in report.problems[0]
    assert peak < 4 * MiB
    assert_refused(capsys, path, "a drawing may have at most", tmp_path)


def test_the_receivers_own_limit_applies_to_an_import(tmp_path):
    path = big_drawing_bundle(tmp_path, 2 * MiB)
    assert verify_bundle(path).ok  # within the default 8 MiB
    with pytest.raises(ImportRefused, match="a drawing may have at most 1048576"):
        import_into_data_dir(tmp_path / "receiver", path, limits=Limits(max_blob_bytes=MiB))
    assert receiver_digests(tmp_path / "receiver") == {}
    assert import_into_data_dir(tmp_path / "receiver", path).created == 1
    code = main(["receiver", "--data-dir", str(tmp_path / "r2"), "import", str(path), "--max-blob-bytes", str(MiB)])
    assert code == 2 and receiver_digests(tmp_path / "r2") == {}


def test_the_receivers_text_limit_applies_to_an_import(tmp_path):
    path = real_bundle(tmp_path / "out", [BundleItem(make_idea(1, text="x" * 500))])
    with pytest.raises(ImportRefused, match="text is longer than 100 characters"):
        import_into_data_dir(tmp_path / "receiver", path, limits=Limits(max_text_chars=100))


def test_a_member_larger_than_its_manifest_says_is_not_inflated(bundle, tmp_path, capsys, monkeypatch):
    """The ZIP says 200 MiB, the manifest 100 bytes: refused before a byte is inflated."""
    manifest, members = read_members(bundle)
    name = next(n for n, _ in members if n.endswith(".strokes.json"))
    members = [(n, bytes(200 * MiB) if n == name else d) for n, d in members]
    manifest = manifest_for(members, manifest)
    next(f for f in manifest["files"] if f["path"] == name)["size"] = 100
    path = pack(tmp_path / "bomb.zip", members, manifest)
    inflated = []
    real_read = zipfile.ZipExtFile.read
    monkeypatch.setattr(zipfile.ZipExtFile, "read",
                        lambda self, n=-1: inflated.append(len(data := real_read(self, n))) or data)
    report = verify_bundle(path)
    assert report.problems == (f"{name}: size {200 * MiB}, manifest says 100",)
    assert sum(inflated) < MiB
    monkeypatch.undo()
    assert_refused(capsys, path, "manifest says 100", tmp_path)


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize("odd, words", [
    ("../../x", "../../x: not a member a bundle has"),
    ("/etc/x", "/etc/x: not a member a bundle has"),
    ("drawings/../../x", "drawings/../../x: not a member a bundle has"),
    ("drawings/\x1b[31mred.png", "drawings/\\x1b[31mred.png: not a member a bundle has"),
    ("SYMLINK", "is a symbolic link or a special file"),
    ("ideas.csv", "ideas.csv: is in the ZIP twice"),
    ("submissions.jsonl", "submissions.jsonl: is in the ZIP twice"),
])
def test_odd_members_are_refused_by_name(bundle, tmp_path, capsys, odd, words):
    manifest, members = read_members(bundle)
    if odd == "SYMLINK":
        name = next(n for n, _ in members if n.endswith(".png"))
        members = [(symlink(n) if n == name else n, b"/etc/passwd" if n == name else d) for n, d in members]
    else:
        members = members + [(odd, b"x")]
    path = pack(tmp_path / "odd.zip", members, manifest_for(members, manifest))
    assert_refused(capsys, path, words, tmp_path)


def _with(manifest: dict, **changes) -> dict:
    return {**manifest, **changes}


@pytest.mark.parametrize("change, words", [
    (lambda m: [], "manifest.json: must be a JSON object"),
    (lambda m: _with(m, files=["ideas.csv", "submissions.jsonl"]), "manifest.json: files[0] needs a path"),
    (lambda m: _with(m, files=[{k: v for k, v in f.items() if k != "size"} for f in m["files"]]), "files[0] needs"),
    (lambda m: _with(m, files=[{**f, "size": 10 ** 30} for f in m["files"]]), "1000000000000000000000000000000 bytes; a drawing may have at most"),
    (lambda m: _with(m, counts=[1, 2]), "manifest.json: counts must be an object"),
    (lambda m: _with(m, format_version=[[[[]]]]), "format version [[[[]]]] is not supported"),
    (lambda m: b"[" * 100_000 + b"]" * 100_000, "manifest.json: not JSON a bundle has (nested too deeply)"),
    (lambda m: b'{"format": ' + b"1" * 5000 + b"}", "manifest.json: not JSON"),
    (lambda m: b"\xff\xfe", "manifest.json: not JSON"),
])
def test_a_malformed_manifest_is_named(bundle, tmp_path, capsys, change, words):
    manifest, members = read_members(bundle)
    path = pack(tmp_path / "bad.zip", members, change(manifest))
    assert_refused(capsys, path, words, tmp_path)


@pytest.mark.parametrize("change, words", [
    (lambda line: {**line, "submission": [1, 2]}, "must be an object with a submission and a sync object"),
    (lambda line: {**line, "submission": {**line["submission"], "blobs": {"role": "png"}}}, "blobs: must be a list"),
    (lambda line: {**line, "submission": {**line["submission"], "blobs": ["x"]}}, "each entry needs exactly"),
    (lambda line: {**line, "sync": {"status": ["sent"]}}, "sync.status must be one of"),
    (lambda line: {**line, "submission": {**line["submission"], "kind": {"a": 1}}}, "kind"),
    (lambda line: [line], "must be an object"),
    (lambda line: "[" * 50_000 + "]" * 50_000, "nested too deeply"),
])
def test_a_malformed_line_is_named(bundle, tmp_path, capsys, change, words):
    manifest, members = read_members(bundle)
    lines = dict(members)["submissions.jsonl"].splitlines()
    first = change(json.loads(lines[0]))
    lines[0] = (first if isinstance(first, str) else json.dumps(first)).encode()
    members = [(n, b"\n".join(lines) + b"\n" if n == "submissions.jsonl" else d) for n, d in members]
    path = pack(tmp_path / "bad.zip", members, manifest_for(members, manifest))
    report = verify_bundle(path)
    assert report.problems[0].startswith("submissions.jsonl: line 1: "), report.problems
    assert_refused(capsys, path, words, tmp_path)


def test_a_line_longer_than_the_limit_is_not_read_whole(bundle, tmp_path, capsys):
    manifest, members = read_members(bundle)
    members = [(n, b"{" + b" " * (4 * MiB) + b"}\n" + d if n == "submissions.jsonl" else d) for n, d in members]
    path = pack(tmp_path / "long.zip", members, manifest_for(members, manifest))
    assert_refused(capsys, path, "line 1 is longer than", tmp_path)


def test_a_good_bundle_still_verifies_and_imports(bundle, tmp_path, capsys):
    assert verify_cli(capsys, bundle)[0] == 0
    assert [i.submission.kind for i in iter_bundle(bundle)] == ["idea", "drawing"]
    assert import_into_data_dir(tmp_path / "receiver", bundle).created == 2
    assert hashlib.sha256(bundle.read_bytes()).hexdigest()  # untouched, still readable


def test_a_fifo_or_a_device_is_refused_without_being_opened(tmp_path, capsys):
    fifo = tmp_path / "bundle.zip"
    os.mkfifo(fifo)
    with pytest.raises(ImportRefused, match="not a regular file"):  # would wait for a writer if opened
        import_into_data_dir(tmp_path / "receiver", fifo)
    assert not verify_bundle(Path("/dev/zero")).ok
    assert main(["receiver", "--data-dir", str(tmp_path / "receiver"), "import", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err
