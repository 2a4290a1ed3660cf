"""`jug demo`: write a small jugfile into ./jug-demo/ and say how to run it."""
import os

import click

from jugcore.cli.jugfile_command import jug2_common_options
from jugcore.errors import JugError
from jugcore.plugins import hookimpl
from jugcore.temp_files import write_replacing

FOLDER = "jug-demo"
JUGFILE = "primes.py"

_HOW_TO = """\
Wrote {jugfile}: 200 tasks, each testing one number for primality, and one that
writes the primes to output.txt.  Try it:

    cd {folder}
    jug status primes.py          # 200 tasks ready to run
    jug execute primes.py         # about 20 seconds in one worker...
    jug execute primes.py -j 4    # ...or share the work among four
    jug status primes.py          # what is done, per task name
    cat output.txt

Workers can also start separately (`jug execute primes.py &`, on any machine
that sees the jugdir, primes.jugdata/): each takes the tasks nobody holds.
Run `jug invalidate primes.py --name is_prime` to compute them again, and
`jug test-jug` to check the installation itself."""


@jug2_common_options
@click.command("demo")
def demo():
    """Write an example jugfile, jug-demo/primes.py, and show how to run it."""
    folder = os.path.abspath(FOLDER)
    try:
        os.mkdir(folder)
    except FileExistsError:
        raise JugError(f"{FOLDER}/ already exists here: run the demo in it, or remove it and run `jug demo` again")
    except OSError as e:
        raise JugError(f"cannot create {folder}: {e.strerror}; run `jug demo` in a folder you can write")
    from importlib.resources import files  # here: every `jug` command imports this module

    jugfile = os.path.join(folder, JUGFILE)
    write_replacing(jugfile, files("jugcore.cli.demo").joinpath(JUGFILE).read_bytes())
    click.echo(_HOW_TO.format(jugfile=os.path.join(FOLDER, JUGFILE), folder=FOLDER))


@hookimpl
def jug_register_commands(cli):
    cli.add_command(demo)
