"""Passwords in URLs are masked in one place (jugcore.redact), for every output:
error lines, warnings, failure records, `jug status --failed/--json`, `jug config`."""
import json

import pytest

from jugcore.redact import redact


@pytest.mark.parametrize("text, shown", [
    ("redis://:xy@Secret99@host", "redis://:***@host"),
    ("redis://:xy/Secret99@host/0", "redis://:***@host/0"),
    ("redis://:xy#Secret99@host", "redis://:***@host"),
    ("redis://:xy?Secret99@host", "redis://:***@host"),
    ("redis://:xy%40Secret99%2F@host/0", "redis://:***@host/0"),
    ("redis://bob:pw@h:6379/0?prefix=a:", "redis://bob:***@h:6379/0?prefix=a:"),
    ("unix://:pw@/run/redis.sock?db=1", "unix://:***@/run/redis.sock?db=1"),
    ("rediss://:pw@h/0?ssl_ca_certs=/certs/a@b.pem", "rediss://:***@h/0?ssl_ca_certs=/certs/a@b.pem"),
    # Nothing to mask: no password, or an @ that belongs to the query.
    ("rediss://h:6379/0?ssl_ca_certs=/certs/a@b.pem", "rediss://h:6379/0?ssl_ca_certs=/certs/a@b.pem"),
    ("redis://bob@h/0", "redis://bob@h/0"),
    ("redis://h/0", "redis://h/0"),
    ("/plain/path@x:y", "/plain/path@x:y"),
    # Several URLs inside a sentence, quoted or not.
    ("from 'redis://:a@b/c@h/0' and redis://u:v@w then", "from 'redis://:***@h/0' and redis://u:***@w then"),
])
def test_redact(text, shown):
    assert redact(text) == shown


FAILING = """
from jug import TaskGenerator

@TaskGenerator
def connect(n):
    raise ConnectionError("cannot reach postgresql://scott:Tiger@Pass/word@db.example.org/x")

connect(1)
"""


def test_a_failure_record_keeps_no_password(jug, jugfile, tmp_path):
    jugfile(FAILING)
    run = jug("execute", "jugfile.py", cwd=tmp_path)
    assert run.returncode != 0 and "Tiger" not in run.output, run
    assert "postgresql://scott:***@db.example.org/x" in run.stderr, run
    stored = "".join(p.read_text(errors="replace") for p in (tmp_path / "jugfile.jugdata").rglob("*") if p.is_file())
    assert "connect" in run.stderr and "Tiger" not in stored
    failed = jug("status", "jugfile.py", "--failed", cwd=tmp_path)
    as_json = jug("status", "jugfile.py", "--json", cwd=tmp_path)
    assert "***@db.example.org" in failed.stdout and "Tiger" not in failed.output, failed
    assert "Tiger" not in as_json.output and json.loads(as_json.stdout), as_json


SECRET_URL = "redis://bob:xy@Secret99@db.example.org/0?prefix=p:"
MASKED_URL = "redis://bob:***@db.example.org/0?prefix=p:"


@pytest.mark.parametrize("where", ["env", "jugrc", "pyproject"])
def test_jug_config_masks_passwords(jug, tmp_path, where):
    env = {}
    if where == "env":
        env["JUG_JUGDIR"] = SECRET_URL
    elif where == "jugrc":
        (tmp_path / ".jugrc").write_text(f"[main]\njugdir = {SECRET_URL}\n")
    else:
        (tmp_path / "pyproject.toml").write_text(f'[tool.jug]\njugdir = "{SECRET_URL}"\n')
    listing = jug("config", cwd=tmp_path, env=env)
    one = jug("config", "jugdir", "--show-origin", cwd=tmp_path, env=env)
    for run in (listing, one):
        assert run.returncode == 0, run
        assert "Secret99" not in run.output and MASKED_URL in run.stdout, run


def test_verbose_logging_masks_passwords(jug, jugfile, tmp_path):
    jugfile("""
        import logging
        from jug import TaskGenerator

        @TaskGenerator
        def fetch(n):
            logging.getLogger("mine").info("fetching from redis://bob:xy@Secret99@cache.example.org/0")
            return n

        fetch(1)
        """)
    run = jug("execute", "jugfile.py", "--verbose", "info", cwd=tmp_path)
    assert run.returncode == 0, run
    assert "jug: INFO: fetching from redis://bob:***@cache.example.org/0" in run.stderr, run
    assert "Secret99" not in run.output, run
