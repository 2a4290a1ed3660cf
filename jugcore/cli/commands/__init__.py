"""The core's subcommands, one module each, each a plugin (jug_register_commands)."""
