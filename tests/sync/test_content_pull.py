"""``kiosk content pull --consul`` against the CONSUL stand-in (real HTTP and GraphQL on 127.0.0.1),
and ``check-config`` over the file it writes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.cli import main
from kiosk.core.content import parse_content
from sync.content_pull import QUERIES, ConsulPuller, ContentPullError
from tests.sync.standin_consul import ConsulStandIn


@pytest.fixture
def consul():
    with ConsulStandIn() as c:
        yield c


def test_the_pull_pages_through_25_at_a_time_within_consuls_limits(consul):
    seen = []
    items = ConsulPuller(consul.url, sleep=lambda _s: None).pull(progress=lambda kind, n: seen.append((kind, n)))
    proposals = [i for i in items if i.kind == "proposal"]
    assert len(proposals) == 60 and len([i for i in items if i.kind == "debate"]) == 7
    assert consul.pages_asked == [None, "25", "50", None]  # three pages of proposals, one of debates
    assert seen == [("proposal", 25), ("proposal", 50), ("proposal", 60), ("debate", 7)]
    first = proposals[0]
    assert (first.title, first.summary, first.geozone, first.tags) == (
        "Vorschlag 1: Radweg Nummer 1", "Kurz gesagt: 1 ☀", "Zentrum", ("Mobilität", "Grün"))
    assert first.url == f"{consul.url}/proposals/1"
    debate = next(i for i in items if i.kind == "debate")
    assert debate.summary == "Worüber wir reden: 1" and debate.url == f"{consul.url}/debates/1"


def test_the_stand_in_refuses_what_consul_refuses(consul):
    import requests

    deep = "{ proposals { edges { node { tags { edges { node { name } } } } } } " \
           "debates { edges { node { tags { edges { node { name } } } } } } }"
    answer = requests.post(consul.url + "/graphql", json={"query": deep}, timeout=5).json()
    assert "collections" in answer["errors"][0]["message"]
    for query in QUERIES.values():  # the client's own queries stay inside the limits
        answer = requests.post(consul.url + "/graphql", json={"query": query}, timeout=5).json()
        assert "errors" not in answer


def test_slow_and_failing_answers_are_retried_then_reported(consul):
    pauses = []
    consul.fail_next = 2
    items = ConsulPuller(consul.url, sleep=pauses.append).pull(("debate",))
    assert len(items) == 7 and pauses == [1, 2]
    consul.delay_s = 1.0
    with pytest.raises(ContentPullError, match="timed out, 4 times"):
        ConsulPuller(consul.url, sleep=lambda _s: None, timeout=(1.0, 0.3)).pull(("debate",))


def test_the_command_writes_a_file_that_check_config_accepts(consul, tmp_path, capsys):
    out = tmp_path / "content.toml"
    assert main(["content", "pull", "--consul", consul.url, "--out", str(out), "--kinds", "proposals"]) == 0
    items, problems = parse_content(out.read_text(encoding="utf-8"))
    assert problems == [] and len(items) == 60
    config = tmp_path / "kiosk.toml"
    config.write_text('[content]\nfile = "content.toml"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kiosk", "check-config", "--config", str(config)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    out.write_text(out.read_text(encoding="utf-8").replace(f'url = "{consul.url}/proposals/3"',
                                                           'url = "javascript:alert(1)"'), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kiosk", "check-config", "--config", str(config)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "items[2].url: must be an https URL" in run.stderr


def test_a_pull_that_fails_leaves_the_old_file(consul, tmp_path, capsys):
    out = tmp_path / "content.toml"
    out.write_text("format = 1\n", encoding="utf-8")
    consul.fail_next = 10
    assert main(["content", "pull", "--consul", consul.url, "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "format = 1\n"
    assert "the pull stopped" in capsys.readouterr().err
