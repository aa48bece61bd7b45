"""`despatch plugins`: the readers, annotators, citation styles and export formats installed, and by whom."""

from __future__ import annotations

import json

import click

from .. import plugins
from .app import main


@main.command("plugins")
@click.option("--kind", type=click.Choice(list(plugins.GROUPS)), help="Only this kind of component.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def plugins_cmd(kind: str | None, fmt: str) -> None:
    """List the registered components with the package and version that registered each."""
    rows = list(plugins.components(kind)) if kind else plugins.all_components()
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in rows], indent=2))
        return
    click.echo(f"{'kind':16} {'name':16} {'package':20} {'version':10} defined in")
    for c in rows:
        click.echo(f"{plugins.KINDS[c.kind]:16} {c.name:16} {c.package:20} {c.version:10} {c.value}")
