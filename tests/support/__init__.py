"""Test helpers of this repository that a third-party plugin does not need:
Jug 2.7 installed beside us, to compare with (:mod:`tests.support.jug27`), a
venv where some of our plugins are not installed (:mod:`tests.support.partial_venv`),
and a program on a pseudo-terminal (:mod:`tests.support.terminal`).  What plugin
authors need ships in pytest-jug (``plugins/pytest_jug``).

The root ``conftest.py`` makes the fixtures here available to ``tests/``,
``plugins/*/tests/`` and ``examples/plugins/*/tests/``."""
