"""A command or jugdir scheme whose plugin is missing: not installed, it says
what to install; installed but disabled, it says so and how to enable it
(never "unknown scheme" or "No such command")."""
import pytest

from tests.test_errors import assert_clean_error

JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def double(x):
    return 2 * x

a = double(3)
"""

DISABLING = [
    ({"JUG_DISABLE_PLUGINS": "shell,redis"}, "JUG_DISABLE_PLUGINS", "take 'shell' out"),
    ({"JUG_DISABLE_PLUGIN_AUTOLOAD": "1"}, "JUG_DISABLE_PLUGIN_AUTOLOAD", "unset it"),
]


def test_shell_not_installed_says_what_to_install(jug, jugfile, jug_without_optional_plugins):
    path = jugfile(JUGFILE)
    run = jug("shell", path, cwd=path.parent, jug=jug_without_optional_plugins)
    assert run.returncode == 2, run
    assert_clean_error(run, "jug shell needs the plugin jug-shell, which is not installed",
                       "pip install jug-shell")
    assert "No such command" not in run.output


@pytest.mark.parametrize("env, switch, how", DISABLING)
def test_shell_disabled_says_how_to_enable_it(jug, jugfile, env, switch, how):
    path = jugfile(JUGFILE)
    run = jug("shell", path, cwd=path.parent, env=env)
    assert run.returncode == 2, run
    assert_clean_error(run, "jug shell is disabled", "plugin 'shell' of jug-shell", switch, how)
    assert "pip install" not in run.output and "No such command" not in run.output


@pytest.mark.parametrize("env, switch, how", DISABLING)
def test_disabled_scheme_is_not_unknown(jug, jugfile, env, switch, how):
    path = jugfile(JUGFILE)
    run = jug("status", path, "--jugdir", "redis://user:s3cret@localhost/0", cwd=path.parent, env=env)
    how = how.replace("'shell'", "'redis'")
    assert_clean_error(run, "the jugdir scheme 'redis:'", "is disabled", "plugin 'redis' of jug-redis", switch, how)
    assert "unknown" not in run.output and "pip install" not in run.output and "s3cret" not in run.output


def test_a_misspelt_command_is_still_clicks_to_answer(jug):
    run = jug("shel")
    assert run.returncode == 2 and "Did you mean 'shell'?" in run.stderr, run
