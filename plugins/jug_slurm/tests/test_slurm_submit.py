"""jug submit without running jobs: the script --dry-run prints, the jugdir
the compute nodes get, and bad input (each one line, no traceback)."""
import shlex
import sys

import pytest
from pytest_jug import sample_jugfile


@pytest.fixture
def primes(jugfile):
    return jugfile(sample_jugfile(4), name="primes.py")


def dry_run(jug, path, *args, env=None):
    return jug("submit", path, "--dry-run", *args, cwd=path.parent, env=env)


def test_dry_run_prints_the_job_script(jug, primes):
    run = dry_run(jug, primes, "--workers", "3", "--partition", "short", "--time", "2:00:00", "--mem", "4G",
                  "--cpus-per-task", "2", "--sbatch-arg=--qos=long", "--verbose", "--", "input.txt")
    assert run.returncode == 0, run
    here = primes.parent
    assert run.stdout.splitlines() == [
        "#!/bin/bash",
        "# Written by `jug submit` (jug-slurm): 3 jug execute worker(s), one per array element.",
        "#SBATCH --job-name=jug-primes",
        "#SBATCH --array=0-2",
        f"#SBATCH --output={here}/primes.slurm/logs/jug-%A_%a.out",
        f"#SBATCH --chdir={here}",
        "#SBATCH --cpus-per-task=2",
        "#SBATCH --partition=short",
        "#SBATCH --time=2:00:00",
        "#SBATCH --mem=4G",
        "#SBATCH --qos=long",
        f'export JUG_SLURM_LOG="{here}/primes.slurm/logs/jug-${{SLURM_ARRAY_JOB_ID}}_${{SLURM_ARRAY_TASK_ID}}.out"',
        f"exec {sys.executable} -m jugcore execute --jugdir {here}/primes.jugdata --verbose info -- {primes} "
        "input.txt",
    ], run
    assert not (here / "primes.slurm").exists()  # nothing written, nothing submitted


def test_every_option_comes_from_configuration_too(jug, primes):
    (primes.parent / "jugrc").write_text("[submit]\npartition = long\nworkers = 2\n")
    run = dry_run(jug, primes, env={"JUG_SUBMIT_TIME": "10"})
    assert "#SBATCH --partition=long" in run.stdout and "#SBATCH --array=0-1" in run.stdout, run
    assert "#SBATCH --time=10" in run.stdout, run


def test_jug_plugins_lists_the_commands_setting_and_hooks(jug, tmp_path):
    run = jug("plugins", cwd=tmp_path)
    [line] = [line for line in run.stdout.splitlines() if line.startswith("slurm ")]
    assert "jug-slurm" in line and "commands cancel, follow, submit" in line and "settings slurm.query-interval" in line
    assert "jug_owner_alive" in line and "jug_owner_details" in line


@pytest.mark.parametrize("jugdir, expected", [
    ("results/run1", "{here}/results/run1"),
    ("file_keepalive:run.jugdata?lease=600", "file_keepalive:{here}/run.jugdata?lease=600"),
    ("/already/absolute", "/already/absolute"),
    ("dict_store:run.pkl", "dict_store:{here}/run.pkl"),
])
def test_a_relative_jugdir_is_made_absolute(jug, primes, jugdir, expected):
    run = dry_run(jug, primes, "--jugdir", jugdir)
    assert run.returncode == 0, run
    command = shlex.split(run.stdout.splitlines()[-1])
    assert command[command.index("--jugdir") + 1] == expected.format(here=primes.parent), run


@pytest.mark.parametrize("args, message", [
    (["--jugdir", "dict_store"], "jug: error: --jugdir dict_store keeps results in the memory of one worker: "
                                 "they would be lost when its job ends."),
    (["--jugdir", "dict_store:run.pkl", "--workers", "2"],
     "jug: error: --jugdir dict_store:run.pkl is one process's store and cannot be shared by 2 workers"),
    (["--workers", "0"], "Invalid value for '--workers': 0 is not in the range x>=1."),
    (["--sbatch-arg", "qos=long"], "jug: error: --sbatch-arg 'qos=long' is not one sbatch option"),
])
def test_bad_input_is_one_line(jug, primes, args, message):
    run = dry_run(jug, primes, *args)
    assert run.returncode != 0 and message in run.stderr, run
    assert "Traceback" not in run.output


def test_a_missing_jugfile_is_named(jug, tmp_path):
    run = jug("submit", "nothere.py", cwd=tmp_path)
    assert run.returncode == 1 and "jug: error: no jugfile nothere.py:" in run.stderr, run


def test_no_sbatch_on_path_says_where_to_run(jug, primes):
    run = jug("submit", primes, cwd=primes.parent, env={"PATH": str(primes.parent)})
    assert run.returncode == 1, run
    assert run.stderr.strip() == ("jug: error: 'sbatch' is not on PATH: run this on a machine of the Slurm "
                                  "cluster (a login node), or load Slurm first (module load slurm)"), run
    run = jug("cancel", primes, cwd=primes.parent, env={"PATH": str(primes.parent)})
    assert run.returncode == 0 and "No job was submitted for" in run.stdout, run
    run = jug("follow", primes, cwd=primes.parent)
    assert run.returncode == 1 and "jug: error: no job was submitted for" in run.stderr, run


@pytest.mark.parametrize("args, said", [
    (["--partition", "nosuch"], "sbatch: error: invalid partition specified: nosuch"),
    (["--time", "soon"], "sbatch: error: Invalid --time specification"),
])
def test_a_rejected_submission_shows_what_sbatch_said(jug, primes, slurm_cluster, args, said):
    run = jug("submit", primes, *args, cwd=primes.parent)
    assert run.returncode == 1, run
    [line] = run.stderr.splitlines()
    assert line.startswith("jug: error: sbatch failed: ") and said in line, run
    assert not (primes.parent / "primes.slurm" / "jobs").exists()
