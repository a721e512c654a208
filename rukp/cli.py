"""The `rukp` command: one entry point, one subcommand per pipeline stage.

Each subcommand lives in its stage's module, which provides
`add_arguments(parser: argparse.ArgumentParser) -> None` and `run(args) -> int`.
The registry below is a plain dict from subcommand name to (module, one-line help);
modules are imported only when their subcommand runs, so `rukp --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rukp import __version__
from rukp.errors import RukpError

COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("rukp.ingest.add_cli", "copy new pages into raw/ with their provenance rows"),
    "ingest": (
        "rukp.ingest.cli",
        "clean raw pages into documents (JSON Lines) and an ingest report",
    ),
    "ingest-eval": (
        "rukp.ingest.eval_cli",
        "score the cleaner and its peers (jusText, trafilatura) on the cleaning fixtures",
    ),
    "validate": ("rukp.validate.cli", "check raw provenance, annotation sets and registries"),
    "agreement": ("rukp.agreement.cli", "inter-annotator agreement between two annotation sets"),
    "adjudicate": (
        "rukp.adjudicate.cli",
        "two annotation sets -> gold: agreed items, disagreements, decisions, adjudication log",
    ),
    "diff": ("rukp.adjudicate.diff_cli", "the differences between two annotation sets"),
    "ls": (
        "rukp.labelstudio.cli",
        "Label Studio: config, tasks, import, serve, push, pull, users, review",
    ),
    "build": ("rukp.build.cli", "build the Hugging Face release folder"),
    "release": ("rukp.build.bump_cli", "show the data version or open the next one (--bump)"),
    "reanchor": ("rukp.build.reanchor_cli", "move gold spans onto changed cleaned texts"),
    "baselines": ("rukp.baselines.cli", "train and evaluate the baselines"),
    "preannotate": (
        "rukp.preannotate.cli",
        "pre-annotate documents for Label Studio (CRF + registry links + trigger candidates)",
    ),
    "evaluate": ("rukp.evaluate.cli", "score a submission against the release"),
    "leaderboard": ("rukp.leaderboard.cli", "add scored submissions and render the leaderboard"),
}


def _load(name: str):  # type: ignore[no-untyped-def]
    module_name = COMMANDS[name][0]
    return importlib.import_module(module_name)


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rukp", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"rukp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (_, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == wanted:
            _load(name).add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is still printable
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(args_list)
    except ModuleNotFoundError as exc:
        print(f"rukp: this command is not available: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(args_list)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(_load(args.command).run(args))
    except RukpError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("rukp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
