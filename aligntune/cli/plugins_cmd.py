"""``aligntune plugins``: what is installed and what each plugin registers."""

from __future__ import annotations

import json

import click

from aligntune.plugins import get_plugin_manager
from aligntune.plugins.lookup import blocked_plugins_note


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    """List plugins: distribution, version, registrations and load errors."""
    pm = get_plugin_manager()
    infos = pm.plugins()
    blocked = blocked_plugins_note(pm).strip()
    if as_json:
        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
        if blocked:
            click.echo(blocked, err=True)
        return
    if blocked:
        click.echo(blocked)
    for info in infos:
        dist = f"{info.distribution} {info.version or ''}".strip() if info.distribution else "-"
        click.echo(f"{info.name}  [{info.origin}]  {dist}")
        if info.error:
            click.echo(f"    FAILED TO LOAD: {info.error}")
        for kind, names in info.registers.items():
            if names:
                click.echo(f"    {kind}: {', '.join(names)}")
