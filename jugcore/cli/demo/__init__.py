"""The jugfile `jug demo` writes (package data)."""
