"""jug-shell: `jug shell`, an IPython session in a jugfile's namespace."""
__all__ = []  # a command, nothing for other distributions to import
