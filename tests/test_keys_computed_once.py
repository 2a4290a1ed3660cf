"""Each task's key is computed once per process, however many times it is asked for."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import jugcore.formats.hashing, jugcore.model.task
    calls = []
    real = jugcore.formats.hashing.task_key
    def counting(name, args, kwargs, batch=None):
        calls.append(name)
        return real(name, args, kwargs, batch)
    jugcore.model.task.task_key = counting

    from jugcore.cli.commands.status import status  # noqa: F401  (loads the CLI plugins)
    from jugcore.run.scheduler import ExecuteOptions, Worker
    from jugcore.run.states import count_states, missing_tasks
    from jugcore.app import current_app
    from jug import TaskGenerator, set_jugdir
    from jug.task import alltasks

    @TaskGenerator
    def double(x):
        return 2 * x

    @TaskGenerator
    def total(xs):
        return sum(xs)

    store = set_jugdir("dict_store")
    doubled = [double(i) for i in range(50)]
    result = total(doubled)
    worker = Worker(store, current_app().pm, ExecuteOptions())
    worker.run_pass(list(alltasks))
    count_states(alltasks, store)
    missing_tasks(alltasks, store)
    [t.hash() for t in alltasks]
    assert result.value() == 2 * sum(range(50))
    print(len(calls), len(alltasks))
''')


def test_each_key_is_computed_once_through_execute_status_and_check(tmp_path):
    script = tmp_path / "count_keys.py"
    script.write_text(SCRIPT)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    computed, tasks = map(int, proc.stdout.split())
    assert tasks == 51
    assert computed == tasks
