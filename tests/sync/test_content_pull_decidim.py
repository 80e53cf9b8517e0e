"""``kiosk content pull --decidim`` against the Decidim stand-in (real HTTP and GraphQL on 127.0.0.1;
a stand-in built from Decidim's API types, not Decidim), and ``check-config`` over the file it writes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.cli import main
from kiosk.core.content import parse_content
from sync.content_pull import ContentPullError, DecidimPuller
from tests.sync.receiver.publish.standin_decidim import DecidimStandIn


@pytest.fixture
def decidim():
    with DecidimStandIn() as d:
        d.processes.append({"id": "2", "slug": "radverkehr", "title": {"de": "Radverkehr"},
                            "components": [("21", "Proposals")]})
        d.seed("12", 120)
        d.seed("21", 3, start=500)
        yield d


def test_the_pull_pages_through_every_proposals_component_50_at_a_time(decidim):
    decidim.seeded["12"][0]["withdrawn"] = True      # proposal 1001: withdrawn, not pulled
    decidim.seeded["12"][1]["state"] = "rejected"    # 1002: rejected, not pulled
    seen = []
    items = DecidimPuller(decidim.url, sleep=lambda _s: None).pull(progress=lambda kind, n: seen.append((kind, n)))
    assert len(items) == 118 + 3 and {i.kind for i in items} == {"proposal"}
    assert decidim.pages_asked == [("12", None), ("12", "50"), ("12", "100"), ("21", None)]  # not the meetings
    assert seen == [("proposal", 50), ("proposal", 100), ("proposal", 118), ("proposal", 121)]
    assert {"1001", "1002"}.isdisjoint(i.id for i in items)
    first = next(i for i in items if i.id == "1003")
    assert (first.title, first.summary, first.tags, first.geozone) == (
        "Vorschlag 3: Sitzbänke am Platz 3", "Mehr Sitzbänke 3 ☀", ("Mobilität", "Grün"), "")
    assert first.url == f"{decidim.url}/processes/smart-city/f/12/proposals/1003"
    assert next(i for i in items if i.id == "1500").url == f"{decidim.url}/processes/radverkehr/f/21/proposals/1500"


def test_a_missing_language_falls_back_to_one_the_proposal_has(decidim):
    items = DecidimPuller(decidim.url, locale="en", sleep=lambda _s: None).pull()
    item = next(i for i in items if i.id == "1003")
    assert item.title == "Proposal 3: benches" and item.summary == "Mehr Sitzbänke 3 ☀"  # body only in German


def test_a_decidim_before_0_30_gives_category_and_scope():
    with DecidimStandIn(legacy=True) as old:
        old.seed("12", 2)
        puller = DecidimPuller(old.url, sleep=lambda _s: None)
        items = puller.pull()
    assert puller.legacy is True
    assert [(i.id, i.tags, i.geozone) for i in items] == [("1002", ("Mobilität",), "Lobeda"),
                                                          ("1001", ("Mobilität",), "Zentrum")]


def test_slow_failing_and_refused_answers(decidim):
    pauses = []
    decidim.fail_next = 2
    assert len(DecidimPuller(decidim.url, sleep=pauses.append).pull()) == 123 and pauses == [1, 2]
    decidim.delay_s = 1.0
    with pytest.raises(ContentPullError, match="timed out, 4 times"):
        DecidimPuller(decidim.url, sleep=lambda _s: None, timeout=(1.0, 0.3)).pull()
    decidim.delay_s = 0.0
    decidim.max_depth = 5  # an instance with a lower API_SCHEMA_MAX_DEPTH refuses the query: said, not retried
    with pytest.raises(ContentPullError, match="Decidim refused the query: Query has depth of 7"):
        DecidimPuller(decidim.url, sleep=lambda _s: None).pull()


def test_the_command_writes_a_file_that_check_config_accepts(decidim, tmp_path, capsys):
    out = tmp_path / "content.toml"
    assert main(["content", "pull", "--decidim", decidim.url, "--out", str(out)]) == 0
    assert "proposals: 123" in capsys.readouterr().err
    items, problems = parse_content(out.read_text(encoding="utf-8"))
    assert problems == [] and len(items) == 123
    config = tmp_path / "kiosk.toml"
    config.write_text('[content]\nfile = "content.toml"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kiosk", "check-config", "--config", str(config)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("args", [["--kinds", "debates"], ["--consul", "https://mitmachen.example.org"]])
def test_what_decidim_does_not_offer_is_a_usage_error(decidim, tmp_path, capsys, args):
    assert main(["content", "pull", "--decidim", decidim.url, "--out", str(tmp_path / "c.toml"), *args]) == 2
    assert not (tmp_path / "c.toml").exists()


def test_a_pull_that_fails_leaves_the_old_file(decidim, tmp_path, capsys):
    out = tmp_path / "content.toml"
    out.write_text("format = 1\n", encoding="utf-8")
    decidim.fail_next = 10
    assert main(["content", "pull", "--decidim", decidim.url, "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "format = 1\n"
    assert "the pull stopped" in capsys.readouterr().err
