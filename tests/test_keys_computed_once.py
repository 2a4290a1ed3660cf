"""Each task's key is computed once per process, however many times it is asked for."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import jugcore.formats.hashing, jugcore.model.task
    from jugcore.formats.hashing_shared import KeyBatch
    calls = []
    real = jugcore.formats.hashing.task_key
    def counting(name, args, kwargs):
        calls.append(name)
        return real(name, args, kwargs)
    jugcore.model.task.task_key = counting  # one task's key (t.hash())
    real_batch_key = KeyBatch.task_key
    def counting_in_batch(self, name, args, kwargs):
        calls.append(name)
        return real_batch_key(self, name, args, kwargs)
    KeyBatch.task_key = counting_in_batch  # keys hashed together (task_keys)

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
