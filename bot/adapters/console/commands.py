"""Console subcommands: ``ask``, ``console``, ``run``, ``sync``."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    return None


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise SystemExit(f"parcferme: unknown command {args.command!r}")
