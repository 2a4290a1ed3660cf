"""Imported by Jug 2.7's `jug` only (its command loader imports every module of
jug/subcommands/, and this one is left there when Jug 2.7 is installed over
jugcore): refuses to run such a mixed install, saying how to fix it."""
from jugcore.cli.jug_package_check import refuse_jug27_over_jugcore

refuse_jug27_over_jugcore()
