"""Behaviours the core ships as ordinary plugins (registered through entry points)."""
