"""`jug plugins`: what is installed, where it comes from, and what it provides."""

import click

from jugcore.plugins import builtin_distributions, call_each, canonical_name, hookimpl


def describe_plugins(pm):
    """One dict per registered plugin: name, distribution, version, whether it is
    built in, the hooks it implements, and the schemes, commands and settings it adds."""
    builtins = builtin_distributions()
    schemes = {name: [b.scheme for b in declared or ()] for name, declared in call_each(pm, "jug_store_backends")}
    commands = {}
    cli = click.get_current_context().find_root().command
    for command, owner in getattr(cli, "command_owners", {}).items():
        commands.setdefault(owner, []).append(command)
    settings = {}
    for setting in pm.settings:
        settings.setdefault(setting.owner, []).append(setting.name)
    rows = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        origin = pm.origins.get(name)
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or ())
        rows.append({
            "name": name,
            "distribution": origin.distribution if origin else "",
            "version": origin.version if origin else "",
            "builtin": bool(origin and canonical_name(origin.distribution) in builtins),
            "module": origin.module if origin else "",
            "hooks": hooks,
            "schemes": schemes.get(name, []),
            "commands": sorted(commands.get(name, [])),
            "settings": settings.get(name, []),
        })
    return rows


def _provides(row):
    parts = []
    if row["schemes"]:
        parts.append("schemes " + ", ".join(f"{s}:" for s in row["schemes"]))
    if row["commands"]:
        parts.append("commands " + ", ".join(row["commands"]))
    if row["settings"]:
        parts.append("settings " + ", ".join(row["settings"]))
    if row["hooks"]:
        parts.append("hooks " + ", ".join(row["hooks"]))
    return "; ".join(parts)


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--all", "show_all", is_flag=True, help="Include the built-in plugins (jugcore's own, the file "
              "and dict stores).")
@click.pass_obj
def plugins(app, as_json, show_all):
    """List installed jug plugins: name, distribution, version, the hooks each
    implements and what it provides.  Built-in plugins only with --all."""
    rows = [row for row in describe_plugins(app.pm) if show_all or not row["builtin"]]
    if as_json:
        import json  # 2 ms: only --json needs it

        click.echo(json.dumps({"plugins": rows, "failed": [
            {"name": o.name, "distribution": o.distribution, "error": f"{type(e).__name__}: {e}"}
            for o, e in app.pm.load_failures]}, indent=2))
        return
    if not rows and not app.pm.load_failures:
        click.echo("No plugins installed besides the built-in ones (jug plugins --all lists those too).")
    for row in rows:
        dist = f"{row['distribution']} {row['version']}".strip() or "(registered directly)"
        click.echo(f"{row['name']:<16} {dist:<24} {_provides(row)}")
    for origin, error in app.pm.load_failures:
        click.echo(f"{origin.name:<16} {origin.distribution + ' ' + origin.version:<24} "
                   f"FAILED TO LOAD: {type(error).__name__}: {error}")


@hookimpl
def jug_register_commands(cli):
    cli.add_command(plugins)
