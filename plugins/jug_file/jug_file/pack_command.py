"""`jug pack`: move the small results of a file jugdir into its pack, as Jug 2.7's
`jug pack` does (fewer files for the filesystem; the same results for jug)."""
import click

from jugcore.api import JugError, jugfile_command


@jugfile_command("pack")
def pack(ctx):
    """Gather the small results (512 bytes or less) of JUGFILE's file jugdir into
    one file, <jugdir>/packs/jugpack, that Jug 2.7 reads too."""
    store = ctx.open_store()
    from jug_file.store import FileStore  # the command loads with every `jug` start; the store need not

    if not isinstance(store, FileStore):
        raise JugError(f"only file jugdirs can be packed, and '{ctx.jugdir}' is not one "
                       "(other stores keep results in one place already)")
    ctx.import_jugfile()  # results may be objects of classes the jugfile defines
    moved = store.pack_small_results()
    click.echo(f"Packed {moved} objects")
