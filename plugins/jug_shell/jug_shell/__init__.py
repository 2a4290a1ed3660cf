"""jug-shell: `jug shell`, an IPython session in a jugfile's namespace."""
