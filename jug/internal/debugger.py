"""``jug.internal.debugger``: Jug 2's ``debug_exception``, with the debugger
jugcore's --pdb opens (pdb's post-mortem)."""
import sys


def debug_exception():
    """Open the debugger where the exception being handled was raised."""
    import pdb

    pdb.post_mortem(sys.exc_info()[2])
