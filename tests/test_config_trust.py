"""Config files another user could have written are not read (as git's
safe.directory): a jugrc names the jugdir, and `dict_store:FILE` is a pickle
that runs code when loaded.  Real `jug` processes; files handed to the user
``nobody`` play the hostile neighbour (root only: elsewhere those tests skip,
and under CI they fail)."""
import os
import pickle

import pytest

from pytest_jug import IN_CI, sample_jugfile


class _Marker:
    """Unpickling it creates the file ``path``: proof that a pickle ran code."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _give_to_nobody(*paths):
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("CI runs as root, so that files can belong to another user")
        pytest.skip("needs root, to make files that belong to another user")
    for path in paths:
        os.chown(path, 65534, 65534)  # nobody


@pytest.fixture
def shared(tmp_path):
    """/shared (an attacker's git repository and .jugrc, naming a booby-trapped
    dict_store) > victim/ (the victim's own folder, with a jugfile)."""
    root = tmp_path / "shared"
    victim = root / "victim"
    victim.mkdir(parents=True)
    (root / ".git").mkdir()
    trap = root / "evil.pkl"
    trap.write_bytes(pickle.dumps(_Marker(tmp_path / "code-ran")))
    (root / ".jugrc").write_text(f"[main]\njugdir = dict_store:{trap}\n")
    (victim / "jugfile.py").write_text(sample_jugfile())
    return root


def _warnings(run):
    return [line for line in run.stderr.splitlines() if line.startswith("jug: warning: ignoring")]


def test_a_git_root_and_jugrc_of_another_user_are_not_read(jug, shared, tmp_path):
    _give_to_nobody(shared / ".git", shared / ".jugrc")
    run = jug("status", "jugfile.py", cwd=shared / "victim")
    assert not (tmp_path / "code-ran").exists(), run
    assert "jugfile.double" in run.stdout, run  # the default jugdir, read as usual
    (warning,) = _warnings(run)
    assert f"git repository {shared / '.git'}" in warning and "user nobody" in warning
    assert "safe-directories" in warning and "JUG_SAFE_DIRECTORIES" in warning


@pytest.mark.parametrize("name", [".jugrc", "jugrc", "pyproject.toml"])
def test_a_project_file_of_another_user_is_not_read(jug, tmp_path, name):
    trap = tmp_path / "evil.pkl"
    trap.write_bytes(pickle.dumps(_Marker(tmp_path / "code-ran")))
    setting = f'[tool.jug]\njugdir = "dict_store:{trap}"\n' if name == "pyproject.toml" \
        else f"[main]\njugdir = dict_store:{trap}\n"
    (tmp_path / name).write_text(setting)
    (tmp_path / "jugfile.py").write_text(sample_jugfile())
    _give_to_nobody(tmp_path / name)
    run = jug("status", "jugfile.py", cwd=tmp_path)
    assert not (tmp_path / "code-ran").exists() and "jugfile.double" in run.stdout, run
    (warning,) = _warnings(run)
    assert f"config file {tmp_path / name}:" in warning, run


def test_a_world_writable_project_file_is_not_read(jug, tmp_path):
    (tmp_path / ".jugrc").write_text("[main]\njugdir = elsewhere.jugdata\n")
    os.chmod(tmp_path / ".jugrc", 0o666)
    run = jug("config", "jugdir", cwd=tmp_path)
    assert run.stdout.strip() == "%(jugfile)s.jugdata", run
    (warning,) = _warnings(run)
    assert "every user may write it" in warning


def test_a_world_writable_user_jugrc_is_not_read(jug, tmp_path):
    config = tmp_path / "config" / "jug"
    config.mkdir(parents=True)
    (config / "jugrc").write_text("[main]\njugdir = elsewhere.jugdata\n")
    os.chmod(config / "jugrc", 0o646)
    run = jug("config", "jugdir", cwd=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert run.stdout.strip() == "%(jugfile)s.jugdata", run
    assert len(_warnings(run)) == 1 and str(config / "jugrc") in run.stderr, run


@pytest.mark.parametrize("how", ["env", "user jugrc", "star"])
def test_folders_the_user_trusts_are_read(jug, shared, tmp_path, how):
    (shared / ".jugrc").write_text("[main]\njugdir = trusted.jugdata\n")
    _give_to_nobody(shared / ".git", shared / ".jugrc")
    config = tmp_path / "config"
    (config / "jug").mkdir(parents=True)
    env = {"XDG_CONFIG_HOME": str(config)}
    if how == "env":
        env["JUG_SAFE_DIRECTORIES"] = f"/nowhere{os.pathsep}{tmp_path}"  # a folder above counts
    else:
        listed = "*" if how == "star" else f"/nowhere {shared}"
        (config / "jug" / "jugrc").write_text(f"[main]\nsafe-directories = {listed}\n")
    run = jug("config", "jugdir", "--show-origin", cwd=shared / "victim", env=env)
    assert run.stdout.strip() == f"file:{shared / '.jugrc'}:2\ttrusted.jugdata", run
    assert not _warnings(run) and "unknown key" not in run.stderr, run


def test_a_project_file_cannot_make_another_trusted(jug, shared):
    _give_to_nobody(shared / ".git", shared / ".jugrc")
    (shared / "victim" / ".jugrc").write_text(f"[main]\nsafe-directories = {shared}\n")
    run = jug("config", "jugdir", cwd=shared / "victim")
    assert run.stdout.strip() == "%(jugfile)s.jugdata", run
    assert len(_warnings(run)) == 1, run


def test_the_warning_is_given_once_for_several_workers(jug, shared, tmp_path):
    _give_to_nobody(shared / ".git", shared / ".jugrc")
    run = jug("execute", "jugfile.py", "-j", "2", cwd=shared / "victim")
    assert run.returncode == 0 and not (tmp_path / "code-ran").exists(), run
    assert len(_warnings(run)) == 1, run
