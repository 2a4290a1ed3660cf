"""Owners on this host: alive while their pid runs with the start time the
lock recorded (``jugcore.owners.process_alive``); other hosts' owners are
for other plugins (a scheduler's) to judge."""
from jugcore.owners import process_alive
from jugcore.plugins import hookimpl


@hookimpl
def jug_owner_alive(owner):
    return process_alive(owner)
