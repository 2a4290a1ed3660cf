"""Folders named like our packages cannot stand in for them: `jug execute` (with
or without -j) never imports a `jug/` or `jugcore/` from the current folder or
the jugfile's, while the jugfile's own imports still work; and a -j parent
whose workers die without reporting says so and fails."""
import pytest

from pytest_jug import sample_jugfile, summary_table

PLANTED = "open({marker!r}, 'w').write('imported')\nraise SystemExit('planted package imported')\n"


def _plant(folder, marker, names=("jug", "jugcore")):
    for name in names:
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(PLANTED.format(marker=str(marker)))


@pytest.mark.parametrize("jobs", [[], ["-j", "2"]])
def test_packages_in_the_current_folder_are_not_imported(jug, tmp_path, jobs):
    (tmp_path / "jugfile.py").write_text(sample_jugfile(n=4))
    marker = tmp_path.parent / f"{tmp_path.name}-imported"
    _plant(tmp_path, marker)
    run = jug("execute", "jugfile.py", *jobs, cwd=tmp_path)
    assert not marker.exists(), run
    assert run.returncode == 0, run
    assert summary_table(run.stdout)["jugfile.double"][0] == 4, run


def test_the_jugfiles_folder_and_the_current_folder_stay_importable(jug, tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "beside.py").write_text("VALUE = 2\n")
    (elsewhere / "helpers.py").write_text("VALUE = 3\n")
    (project / "jugfile.py").write_text(
        "from jug import TaskGenerator\nimport beside, helpers\n\n"
        "@TaskGenerator\ndef f():\n    return beside.VALUE * helpers.VALUE\n\nf()\n")
    marker = tmp_path / "imported"
    _plant(project, marker, names=("jug",))
    run = jug("execute", str(project / "jugfile.py"), "-j", "2", cwd=elsewhere)
    assert run.returncode == 0 and not marker.exists(), run
    assert summary_table(run.stdout)["jugfile.f"][0] == 1, run


@pytest.mark.parametrize("ending, said", [
    ("os.kill(os.getpid(), signal.SIGKILL)", "was killed by SIGKILL"),
    ("os._exit(0)", "exited with code 0"),
])
def test_workers_that_end_without_a_report_fail_the_run(jug, tmp_path, ending, said):
    (tmp_path / "jugfile.py").write_text(
        "import os, signal\nfrom jug import TaskGenerator\n\n"
        f"@TaskGenerator\ndef vanish(i):\n    {ending}\n\n[vanish(i) for i in range(2)]\n")
    run = jug("execute", "jugfile.py", "-j", "2", cwd=tmp_path)
    assert run.returncode != 0, run
    assert f"jug: worker 1 of 2 {said} without reporting" in run.stderr \
        or f"jug: worker 2 of 2 {said} without reporting" in run.stderr, run
