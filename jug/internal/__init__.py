"""``jug.internal``: Jug 2's package of helpers for its own use; jugcore keeps
``debugger`` here, for scripts that open it as Jug's --pdb did."""
