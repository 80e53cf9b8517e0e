"""``kiosk content pull``: current proposals and debates from the platform, for the terminal offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CommandError, add_command
from kiosk.core.config import find_config
from kiosk.core.model import utc_now


def cmd_content_pull(args: argparse.Namespace) -> int:
    from kiosk.core.content import content_toml, parse_content  # noqa: PLC0415
    from sync.content_pull import ConsulPuller, ContentPullError, DecidimPuller  # noqa: PLC0415

    if bool(args.consul) == bool(args.decidim):
        raise CommandError("give one platform's address: kiosk content pull --consul https://mitmachen.example.org "
                           "(or --decidim https://decidim.example.org)", EXIT_USAGE)
    source = args.consul or args.decidim
    if not source.startswith(("https://", "http://")):
        raise CommandError(f"{source}: the platform's address starts with https://", EXIT_USAGE)
    out = Path(args.out) if args.out else find_config(args.config).parent / "content.toml"
    kinds = tuple(k.strip().rstrip("s") for k in (args.kinds or ("proposals" if args.decidim else
                                                                  "proposals,debates")).split(",") if k.strip())
    if not kinds or any(k not in ("proposal", "debate") for k in kinds):
        raise CommandError("--kinds: proposals, debates or both", EXIT_USAGE)
    if args.decidim and kinds != ("proposal",):
        raise CommandError("--decidim reads proposals only (--kinds proposals)", EXIT_USAGE)

    def progress(kind: str, n: int) -> None:
        print(f"\r{kind}s: {n}", end="", file=sys.stderr, flush=True)

    puller = (DecidimPuller(source, locale=args.locale, timeout=(5.0, args.timeout)) if args.decidim
              else ConsulPuller(source, timeout=(5.0, args.timeout)))
    try:
        items = puller.pull(kinds, progress)
    except ContentPullError as exc:
        print(file=sys.stderr)
        raise CommandError(f"the pull stopped: {exc}; {out} was left as it was", EXIT_FAILURE) from None
    print(file=sys.stderr)
    text = content_toml(items, source, utc_now())
    problems = parse_content(text)[1]
    if problems:
        raise CommandError(f"the platform sent something the kiosk cannot show: {problems[0]}", EXIT_FAILURE)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(f"{out}: {sum(i.kind == 'proposal' for i in items)} proposals, "
          f"{sum(i.kind == 'debate' for i in items)} debates; name it in kiosk.toml as [content] file")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    content = sub.add_parser("content", help="content from the participation platform")
    content_sub = content.add_subparsers(dest="content_command", metavar="SUBCOMMAND", required=True)
    p = add_command(content_sub, common, "pull", cmd_content_pull,
                    "read current proposals and debates (with tags and geozones) into a content file")
    p.add_argument("--consul", metavar="URL", help="a CONSUL Democracy site (its public /graphql API)")
    p.add_argument("--decidim", metavar="URL",
                   help="a Decidim site (its public /api): the proposals of every participatory process")
    p.add_argument("--out", metavar="FILE", help="the content file (default: content.toml beside kiosk.toml)")
    p.add_argument("--kinds", help="proposals, debates or both (default: both; Decidim: proposals)")
    p.add_argument("--locale", default="de", help="Decidim: the language of titles and texts (default de)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each answer (default 20)")
