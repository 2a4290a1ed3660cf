"""Configuration, read by real `jug` processes from real files: a temporary HOME
and a project tree that is a real git repository (repo/ > sub/ > work/, the
commands run in work/).  Every source, every precedence rule, [main] and
command sections, booleans, jugdir interpolation, the errors and warnings,
Jug 2.7's own jugrc, and a third-party plugin's setting read from every source.

The hooks under test: ``jug_config_sources`` (the built-in sources, and an
inline plugin adding one) and ``jug_add_settings`` (settings declared by a fake
installed plugin, by inline plugins, and by the built-in stop limits).
"""
import datetime
import os
import shutil
import subprocess
import sys

import pytest

from jugcore.cli import make_cli
from jugcore.app import load_config
from jugcore.config import USER, ConfigEntry, ConfigSource, FileOrigin
from jugcore.config.ini import read_ini
from jugcore.errors import JugError
from jugcore.plugins import hookimpl, make_plugin_manager
from pytest_jug import jug_environ, make_distribution, sample_jugfile, summary_table


class Tree:
    """HOME and a project: ``repo`` (the git root) > ``sub`` > ``work`` (the cwd)."""

    def __init__(self, root):
        self.home = root / "home"
        self.repo = root / "repo"
        self.sub = self.repo / "sub"
        self.work = self.sub / "work"
        self.work.mkdir(parents=True)
        self.home.mkdir()
        if shutil.which("git"):
            subprocess.run(["git", "init", "-q", str(self.repo)], check=True)
        else:
            (self.repo / ".git").mkdir()
        (self.work / "jugfile.py").write_text(sample_jugfile())
        # XDG_CONFIG_HOME unset: the user file is HOME/.config/jug/jugrc, as platformdirs says on Linux.
        self.env = {"HOME": str(self.home), "XDG_CONFIG_HOME": None, "JUG_NO_PROGRESS": "1"}

    def write(self, path, text):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    @property
    def user_file(self):
        return self.home / ".config" / "jug" / "jugrc"


@pytest.fixture
def tree(tmp_path):
    return Tree(tmp_path)


def _config(jug, tree, key, env=None, cwd=None):
    """(origin, value) of ``jug config --show-origin KEY``."""
    run = jug("config", "--show-origin", key, cwd=cwd or tree.work, env=dict(tree.env, **(env or {})))
    assert run.returncode == 0, run
    origin, value = run.stdout.rstrip("\n").split("\t")
    return origin, value


# ---------------------------------------------------------------------------------------
# sources and precedence
# ---------------------------------------------------------------------------------------
def test_every_source_in_precedence_order(jug, tree):
    """env > work/.jugrc > work/jugrc > sub/.jugrc > repo/jugrc > repo/pyproject.toml > user file > default:
    each removed in turn uncovers the next."""
    layers = [
        ("env", None),
        ("work/.jugrc", tree.write(tree.work / ".jugrc", "[execute]\nwait-cycle-time = 2\n")),
        ("work/jugrc", tree.write(tree.work / "jugrc", "[execute]\n\nwait_cycle_time: 3\n")),
        ("sub/.jugrc", tree.write(tree.sub / ".jugrc", "# team settings\n[execute]\nwait-cycle-time = 4\n")),
        ("repo/jugrc", tree.write(tree.repo / "jugrc", "[execute]\nwait-cycle-time = 5\n")),
        ("pyproject", tree.write(tree.repo / "pyproject.toml",
                                 '[project]\nname = "x"\n\n[tool.jug.execute]\nwait-cycle-time = 6\n')),
        ("user", tree.write(tree.user_file, "[execute]\nwait-cycle-time = 7\n")),
    ]
    expected = [
        ("env:JUG_EXECUTE_WAIT_CYCLE_TIME", "1.0"),
        (f"file:{tree.work / '.jugrc'}:2", "2.0"),
        (f"file:{tree.work / 'jugrc'}:3", "3.0"),
        (f"file:{tree.sub / '.jugrc'}:3", "4.0"),
        (f"file:{tree.repo / 'jugrc'}:2", "5.0"),
        (f"file:{tree.repo / 'pyproject.toml'}:5", "6.0"),
        (f"file:{tree.user_file}:2", "7.0"),
    ]
    env = {"JUG_EXECUTE_WAIT_CYCLE_TIME": "1"}
    for (label, path), want in zip(layers, expected):
        assert _config(jug, tree, "execute.wait-cycle-time", env) == want, label
        if path is None:
            env = {}
        else:
            path.unlink()
    assert _config(jug, tree, "execute.wait-cycle-time") == ("default", "12.0")


def test_the_command_line_beats_every_source(jug, tree):
    tree.write(tree.work / ".jugrc", "[main]\njugdir = from-file\n")
    run = jug("execute", "--jugdir", "from-cli", cwd=tree.work, env=dict(tree.env, JUG_JUGDIR="from-env"))
    assert run.returncode == 0, run
    assert (tree.work / "from-cli").is_dir()
    assert not (tree.work / "from-env").exists() and not (tree.work / "from-file").exists()
    assert jug("check", cwd=tree.work, env=dict(tree.env, JUG_JUGDIR="from-env")).returncode == 1
    assert jug("check", "--jugdir", "from-cli", cwd=tree.work, env=tree.env).returncode == 0


def test_project_files_stop_at_the_git_root(jug, tree):
    tree.write(tree.repo.parent / "jugrc", "[execute]\nnr-wait-cycles = 99\n")  # above the git root
    assert _config(jug, tree, "execute.nr-wait-cycles") == ("default", "150")
    tree.write(tree.repo / "jugrc", "[execute]\nnr-wait-cycles = 5\n")
    assert _config(jug, tree, "execute.nr-wait-cycles") == (f"file:{tree.repo / 'jugrc'}:2", "5")


def test_outside_a_git_repository_only_the_current_folder_counts(jug, tmp_path):
    outer = tmp_path / "outer"
    inner = outer / "inner"
    inner.mkdir(parents=True)
    (outer / ".jugrc").write_text("[execute]\nnr-wait-cycles = 3\n")
    env = {"HOME": str(tmp_path)}
    run = jug("config", "execute.nr-wait-cycles", cwd=inner, env=env)
    assert run.stdout == "150\n", run
    (inner / "jugrc").write_text("[execute]\nnr-wait-cycles = 4\n")
    assert jug("config", "execute.nr-wait-cycles", cwd=inner, env=env).stdout == "4\n"


def test_nearest_pyproject_only_and_main_keys_at_the_top_of_tool_jug(jug, tree):
    tree.write(tree.repo / "pyproject.toml", '[tool.jug]\njugdir = "far"\n')
    tree.write(tree.sub / "pyproject.toml", '[tool.jug]\n# comment\njugdir = "near"\n[tool.jug.status]\nshort = true\n')
    assert _config(jug, tree, "jugdir") == (f"file:{tree.sub / 'pyproject.toml'}:3", "near")
    assert _config(jug, tree, "status.short") == (f"file:{tree.sub / 'pyproject.toml'}:5", "true")
    (tree.sub / "pyproject.toml").write_text('[project]\nname = "no-jug-here"\n')
    assert _config(jug, tree, "jugdir") == ("default", "%(jugfile)s.jugdata")  # nearest has no [tool.jug]


@pytest.mark.parametrize("location", ["xdg", "default", "legacy-config", "legacy-dot-jug"])
def test_user_file_locations(jug, tree, location):
    env = {}
    path = {
        "xdg": tree.home / "xdg" / "jug" / "jugrc",
        "default": tree.user_file,
        "legacy-config": tree.home / ".config" / "jugrc",
        "legacy-dot-jug": tree.home / ".jug" / "configrc",
    }[location]
    if location == "xdg":
        env["XDG_CONFIG_HOME"] = str(tree.home / "xdg")
    tree.write(path, "[main]\njugdir = mine\n")
    assert _config(jug, tree, "jugdir", env) == (f"file:{path}:2", "mine")


def test_only_the_first_user_file_that_exists_is_read(jug, tree):
    tree.write(tree.home / ".config" / "jugrc", "[main]\njugdir = first\n")
    tree.write(tree.home / ".jug" / "configrc", "[main]\njugdir = second\n[execute]\nnr-wait-cycles = 1\n")
    assert _config(jug, tree, "jugdir") == (f"file:{tree.home / '.config' / 'jugrc'}:2", "first")
    assert _config(jug, tree, "execute.nr-wait-cycles") == ("default", "150")


# ---------------------------------------------------------------------------------------
# semantics
# ---------------------------------------------------------------------------------------
def test_main_applies_to_every_command_and_a_command_section_overrides_it(jug, tree):
    tree.write(tree.work / ".jugrc", "[main]\njugdir = %(jugfile)s.main\n[execute]\njugdir = %(jugfile)s.exec\n")
    assert jug("execute", cwd=tree.work, env=tree.env).returncode == 0
    assert (tree.work / "jugfile.exec").is_dir() and not (tree.work / "jugfile.main").exists()
    assert jug("check", cwd=tree.work, env=tree.env).returncode == 1  # check reads jugfile.main
    assert _config(jug, tree, "execute.jugdir") == (f"file:{tree.work / '.jugrc'}:4", "%(jugfile)s.exec")
    assert _config(jug, tree, "jugdir") == (f"file:{tree.work / '.jugrc'}:2", "%(jugfile)s.main")


def test_a_closer_source_main_beats_a_farther_command_section(jug, tree):
    tree.write(tree.user_file, "[execute]\njugdir = user-exec\n")
    tree.write(tree.work / "jugrc", "[main]\njugdir = project-main\n")
    assert _config(jug, tree, "execute.jugdir") == (f"file:{tree.work / 'jugrc'}:2", "project-main")


def test_section_names_take_underscores_too(jug, tree):
    tree.write(tree.work / "jugrc", "[Sleep_Until]\nmax_interval = 3\n")
    assert _config(jug, tree, "sleep-until.max-interval") == (f"file:{tree.work / 'jugrc'}:2", "3.0")


def test_main_takes_any_commands_option_as_jug2_did_with_short(jug, tree):
    tree.write(tree.work / ".jugrc", "[main]\nshort = yes\n")
    run = jug("status", cwd=tree.work, env=tree.env)
    assert run.stdout.startswith("4 tasks waiting to be run"), run


@pytest.mark.parametrize("spelling, value", [
    ("true", "true"), ("1", "true"), ("on", "true"), ("yes", "true"), ("Yes", "true"),
    ("false", "false"), ("0", "false"), ("off", "false"), ("no", "false"),
])
def test_booleans(jug, tree, spelling, value):
    tree.write(tree.work / "jugrc", f"[execute]\nkeep-going = {spelling}\n")
    assert _config(jug, tree, "execute.keep-going")[1] == value


def test_jugdir_interpolation_from_every_kind_of_source(jug, tree):
    today = datetime.date.today().strftime("%Y-%m-%d")
    tree.write(tree.user_file, "[main]\njugdir = %(jugfile)s-%(date)s.user\n")
    assert jug("execute", cwd=tree.work, env=tree.env).returncode == 0
    assert (tree.work / f"jugfile-{today}.user").is_dir()
    tree.write(tree.repo / "pyproject.toml", '[tool.jug]\njugdir = "%(jugfile)s.toml"\n')
    assert jug("execute", cwd=tree.work, env=tree.env).returncode == 0
    assert (tree.work / "jugfile.toml").is_dir()
    run = jug("execute", cwd=tree.work, env=dict(tree.env, JUG_JUGDIR="%(jugfile)s.env"))
    assert run.returncode == 0, run
    assert (tree.work / "jugfile.env").is_dir()


def test_jugfile_named_in_main(jug, tree):
    (tree.work / "jugfile.py").rename(tree.work / "pipeline.py")
    tree.write(tree.work / ".jugrc", "[main]\njugfile = pipeline.py\n")
    assert jug("execute", cwd=tree.work, env=tree.env).returncode == 0
    assert (tree.work / "pipeline.jugdata").is_dir()


def test_stop_limits_are_settings_from_files_and_from_their_jug2_variables(jug, tree):
    tree.write(tree.work / ".jugrc", "[execute]\nmax-tasks = 2\n")
    run = jug("execute", cwd=tree.work, env=tree.env)
    assert run.returncode == 0, run
    assert summary_table(run.stdout)["Total"][0] == 2
    assert _config(jug, tree, "execute.max-tasks", {"JUG_MAX_TASKS": "1"}) == ("env:JUG_MAX_TASKS", "1")
    assert _config(jug, tree, "file.fsync", {"JUG_FILE_FSYNC": "0"}) == ("env:JUG_FILE_FSYNC", "false")


def test_jug_config_lists_every_setting_with_its_origin(jug, tree):
    tree.write(tree.work / ".jugrc", "[execute]\nkeep-going = on\n")
    run = jug("config", cwd=tree.work, env=dict(tree.env, JUG_JUGDIR="elsewhere"))
    assert run.returncode == 0, run
    lines = dict(reversed(line.split("\t")) for line in run.stdout.splitlines())
    assert lines["main.jugdir=elsewhere"] == "env:JUG_JUGDIR"
    assert lines["execute.keep-going=true"] == f"file:{tree.work / '.jugrc'}:2"
    for setting in ("execute.nr-wait-cycles=150", "status.short=false", "sleep-until.max-interval=12.0",
                    "main.verbose=", "execute.max-tasks=", "file.fsync=true"):
        assert lines[setting] == "default"


# ---------------------------------------------------------------------------------------
# errors and warnings
# ---------------------------------------------------------------------------------------
def _one_error(run):
    assert run.returncode != 0, run
    assert "Traceback" not in run.stderr, run
    lines = [line for line in run.stderr.splitlines() if line.startswith("jug: error:")]
    assert len(lines) == 1, run
    return lines[0]


def test_a_malformed_file_is_an_error_naming_file_and_line(jug, tree):
    path = tree.write(tree.work / ".jugrc", "[execute]\nkeep-going = yes\nthis line means nothing\n")
    line = _one_error(jug("execute", cwd=tree.work, env=tree.env))
    assert f"{path}:3" in line and "this line means nothing" in line
    assert not (tree.work / "jugfile.jugdata").exists()
    line = _one_error(jug("config", cwd=tree.work, env=tree.env))
    assert f"{path}:3" in line
    path.write_text("jugdir = x\n")
    assert "[main]" in _one_error(jug("config", cwd=tree.work, env=tree.env))
    path.write_text("[execute]\nkeep-going = yes\nkeep_going = no\n")
    assert "given twice" in _one_error(jug("config", cwd=tree.work, env=tree.env))


@pytest.mark.parametrize("where", ["file", "env"])
def test_a_wrong_boolean_lists_the_accepted_spellings_cleanly(jug, tree, where):
    env = dict(tree.env)
    if where == "file":
        tree.write(tree.work / ".jugrc", "[execute]\nkeep-going = maybe\n")
    else:
        env["JUG_EXECUTE_KEEP_GOING"] = "maybe"
    line = _one_error(jug("execute", cwd=tree.work, env=env))
    assert line.endswith("[execute] keep-going: 'maybe' is not true or false "
                         "(use true/false, yes/no, on/off or 1/0)"), line
    assert "Recognized" not in line and ", ," not in line


def test_malformed_toml_is_an_error_naming_the_file(jug, tree):
    path = tree.write(tree.repo / "pyproject.toml", "[tool.jug]\njugdir = \n")
    line = _one_error(jug("config", cwd=tree.work, env=tree.env))
    assert str(path) in line and "TOML" in line


def test_a_wrong_type_names_file_line_and_key(jug, tree):
    path = tree.write(tree.sub / "jugrc", "[main]\n\n[execute]\nnr-wait-cycles = soon\n")
    line = _one_error(jug("execute", cwd=tree.work, env=tree.env))
    assert f"{path}:4" in line and "nr-wait-cycles" in line and "soon" in line
    assert not (tree.work / "jugfile.jugdata").exists()
    path.write_text("[execute]\nkeep-going = sometimes\n")
    line = _one_error(jug("execute", cwd=tree.work, env=tree.env))
    assert f"{path}:2" in line and "keep-going" in line and "yes/no" in line
    path.unlink()
    line = _one_error(jug("execute", cwd=tree.work, env=dict(tree.env, JUG_EXECUTE_NR_WAIT_CYCLES="soon")))
    assert "JUG_EXECUTE_NR_WAIT_CYCLES" in line and "soon" in line


def test_an_unknown_key_or_section_is_a_warning_with_did_you_mean(jug, tree):
    path = tree.write(tree.work / "jugrc", "[execute]\nnr-wait-cycle = 3\n[exectue]\nkeep-going = yes\n")
    run = jug("execute", cwd=tree.work, env=tree.env)
    assert run.returncode == 0, run
    assert f"jug: warning: {path}:2: unknown key 'nr-wait-cycle' in [execute]" in run.stderr
    assert "did you mean 'nr-wait-cycles'?" in run.stderr
    assert f"jug: warning: {path}:4: unknown section [exectue]" in run.stderr
    assert "did you mean [execute]?" in run.stderr


def test_execute_j_workers_read_the_same_config_and_warn_once(jug, tree):
    tree.write(tree.work / "jugrc", "[main]\njugdir = %(jugfile)s.parallel\n[execute]\nnr-wait-cycle = 3\n")
    run = jug("execute", "-j", "2", cwd=tree.work, env=tree.env)
    assert run.returncode == 0, run
    assert run.stderr.count("unknown key 'nr-wait-cycle'") == 1, run
    assert summary_table(run.stdout)["Total"][0] == 4
    assert jug("check", "--jugdir", "jugfile.parallel", cwd=tree.work, env=tree.env).returncode == 0


def test_jug_config_of_an_unknown_key_suggests_the_near_one(jug, tree):
    line = _one_error(jug("config", "execute.nr-wait-cycle", cwd=tree.work, env=tree.env))
    assert "execute.nr-wait-cycles" in line


# ---------------------------------------------------------------------------------------
# a third-party plugin's settings and command options
# ---------------------------------------------------------------------------------------
GREETER_PLUGIN = '''
import click
from jugcore.api import get_setting, hookimpl


@hookimpl
def jug_add_settings(settings):
    settings.add("greeter", "greeting", type=str, default="hello", help="What `jug greet` says.")
    settings.add("greeter", "loud", type=bool, default=False, help="Shout it.")


@click.command("greet")
@click.option("--times", type=int, default=1)
def greet(times):
    text = get_setting("greeter.greeting")
    for _ in range(times):
        click.echo(text.upper() if get_setting("greeter.loud") else text)


@hookimpl
def jug_register_commands(cli):
    cli.add_command(greet)
'''


@pytest.fixture
def greeter(tree, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    make_distribution(site, "jug-greeter", "0.1", {"greeter": "jug_greeter"}, {"jug_greeter": GREETER_PLUGIN})
    tree.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return tree


def test_a_plugins_setting_is_read_from_every_source(jug, greeter):
    tree = greeter
    env = dict(tree.env, JUG_GREETER_GREETING="from env")
    files = [
        tree.write(tree.work / ".jugrc", "[greeter]\ngreeting = from .jugrc\n"),
        tree.write(tree.sub / "jugrc", "[greeter]\ngreeting = from jugrc\nloud = on\n"),
        tree.write(tree.repo / "pyproject.toml", '[tool.jug.greeter]\ngreeting = "from pyproject"\n'),
        tree.write(tree.user_file, "[greeter]\ngreeting = from the user file\n"),
    ]
    assert jug("greet", cwd=tree.work, env=env).stdout == "FROM ENV\n"
    for said, layer in zip(["FROM .JUGRC", "FROM JUGRC", "from pyproject", "from the user file"], files):
        run = jug("greet", cwd=tree.work, env=tree.env)
        assert run.stdout == said + "\n", run
        layer.unlink()
    assert _config(jug, tree, "greeter.greeting") == ("default", "hello")


def test_a_plugin_commands_options_come_from_config_too(jug, greeter):
    tree = greeter
    tree.write(tree.user_file, "[greet]\ntimes = 2\n")
    assert jug("greet", cwd=tree.work, env=tree.env).stdout == "hello\n" * 2
    assert jug("greet", cwd=tree.work, env=dict(tree.env, JUG_GREET_TIMES="3")).stdout == "hello\n" * 3
    assert jug("greet", "--times", "1", cwd=tree.work, env=dict(tree.env, JUG_GREET_TIMES="3")).stdout == "hello\n"
    tree.write(tree.work / "jugrc", "[greet]\ntimes = many\n")
    assert "times" in _one_error(jug("greet", cwd=tree.work, env=tree.env))


# ---------------------------------------------------------------------------------------
# Jug 2.7 reads the same files
# ---------------------------------------------------------------------------------------
JUG2_JUGRC = """\
[main]
jugdir = %(jugfile)s.shared
will_cite = True
verbose = quiet

[execute]
nr_wait_cycles = 2
keep_going = False
"""


def test_jug2_user_and_project_files_mean_the_same_to_both(jug, tree, jug27):
    tree.write(tree.user_file, JUG2_JUGRC)
    run = jug("execute", cwd=tree.work, env=tree.env)
    assert run.returncode == 0, run
    assert run.stderr == "", run
    assert (tree.work / "jugfile.shared").is_dir()
    assert jug("check", cwd=tree.work, env=tree.env, jug=jug27).returncode == 0
    # A project file in a parent folder (inside the git repository) beats the user file, for both.
    tree.write(tree.sub / ".jugrc", "[main]\njugdir = %(jugfile)s.project\n")
    (tree.work / "more.py").write_text(sample_jugfile(n=2, task="triple", body="3 * x"))
    assert jug("execute", "more.py", cwd=tree.work, env=tree.env, jug=jug27).returncode == 0
    assert (tree.work / "more.project").is_dir() and not (tree.work / "more.shared").exists()
    assert jug("check", "more.py", cwd=tree.work, env=tree.env).returncode == 0


# ---------------------------------------------------------------------------------------
# in process: the hooks as an API, the INI reader, start-up cost, hermetic tests
# ---------------------------------------------------------------------------------------
class _TeamSource(ConfigSource):
    rank = USER + 1  # below the user's own file

    def read(self, schema):
        return [ConfigEntry("execute", "nr-wait-cycles", "7", FileOrigin("/etc/team.ini", 3))]


class _TeamDefaults:
    @hookimpl
    def jug_config_sources(self, start_dir):
        return [_TeamSource()]


def _load(tmp_path, monkeypatch, *plugins):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    pm = make_plugin_manager(plugins=plugins)
    return load_config(pm, make_cli(pm), start_dir=tmp_path)


def test_an_inline_plugin_adds_a_config_source_ranked_among_the_others(tmp_path, monkeypatch):
    config = _load(tmp_path, monkeypatch, ("team", _TeamDefaults()))
    resolved = config.lookup("execute.nr-wait-cycles")
    assert (resolved.value, resolved.show_origin()) == (7, "file:/etc/team.ini:3")
    (tmp_path / ".config" / "jug").mkdir(parents=True)
    (tmp_path / ".config" / "jug" / "jugrc").write_text("[execute]\nnr-wait-cycles = 8\n")
    assert _load(tmp_path, monkeypatch, ("team", _TeamDefaults())).get("execute.nr-wait-cycles") == 8
    assert config.default_map()["execute"] == {"nr_wait_cycles": 7}


class _Declares:
    def __init__(self, section, key):
        self.section, self.key = section, key

    @hookimpl
    def jug_add_settings(self, settings):
        settings.add(self.section, self.key, type=int, default=1)


def test_a_setting_declared_twice_is_refused_naming_both_plugins(tmp_path):
    pm = make_plugin_manager(load_entrypoints=False,
                             plugins=[("first", _Declares("x", "n")), ("second", _Declares("x", "n"))])
    with pytest.raises(JugError, match="x.n is declared twice: by plugin 'first' and by plugin 'second'"):
        load_config(pm, start_dir=tmp_path)


CLASHING_PLUGIN = '''
from jugcore.plugins import hookimpl


@hookimpl
def jug_add_settings(settings):
    settings.add("file", "fsync", type=bool, default=False)
'''


def test_an_installed_plugin_redeclaring_a_setting_is_an_error_until_one_is_blocked(jug, tree, tmp_path):
    make_distribution(tmp_path, "jug-clash", "1.0", {"clash": "jug_clash"}, {"jug_clash": CLASHING_PLUGIN})
    env = dict(tree.env, PYTHONPATH=os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])))
    line = _one_error(jug("execute", cwd=tree.work, env=env))
    assert "file.fsync is declared twice" in line and "'clash'" in line and "'file'" in line
    run = jug("execute", cwd=tree.work, env=dict(env, JUG_DISABLE_PLUGINS="clash"))
    assert run.returncode == 0, run


def test_a_setting_that_is_already_a_commands_option_is_refused(tmp_path, monkeypatch):
    with pytest.raises(JugError, match="'clash'.*execute.keep-going"):
        _load(tmp_path, monkeypatch, ("clash", _Declares("execute", "keep-going")))


def test_the_ini_reader_keeps_lines_continuations_and_jugdir_percent_signs():
    entries = read_ini("f", "; comment\n[main]\nJugDir = %(jugfile)s.x\n[execute]\nname:\n  a\n  b\n# end\n")
    assert [(e.section, e.key, e.value, str(e.origin)) for e in entries] == [
        ("main", "jugdir", "%(jugfile)s.x", "f:3"), ("execute", "name", "a\nb", "f:5")]
    with pytest.raises(JugError, match="f:3: section \\[main\\] is given twice"):
        read_ini("f", "[main]\n\n[main]\n")


@pytest.mark.parametrize("pyproject, parsed", [('[project]\nname = "x"\n', False), ("[tool.jug]\ndebug = true\n", True)])
def test_toml_is_parsed_only_for_a_pyproject_that_mentions_tool_jug(tmp_path, pyproject, parsed):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "jugcore", "config", "main.debug"],
                          cwd=tmp_path, env=jug_environ(), capture_output=True, text=True)
    assert proc.stdout == ("true\n" if parsed else "false\n"), proc
    assert ("tomllib" in proc.stderr or "tomli" in proc.stderr) == parsed


def test_neither_child_jugs_nor_this_process_see_the_developers_own_jugrc(tmp_path):
    env = jug_environ()
    assert env["HOME"] != os.path.expanduser("~")
    assert env["XDG_CONFIG_HOME"].startswith(env["HOME"])
    assert not os.listdir(env["HOME"])
    pm = make_plugin_manager()
    assert [s for s in load_config(pm, start_dir=tmp_path).sources if s.rank == USER] == []
