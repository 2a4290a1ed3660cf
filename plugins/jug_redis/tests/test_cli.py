"""`jug` commands on Redis jugdirs: status of running tasks, cleanup that harms
nothing of other projects, unix sockets, passwords kept out of every output."""
import redis

from pytest_jug import gated_failure_jugfile, must, sample_jugfile, summary_table, with_sync

SAMPLE = sample_jugfile(4)  # double(0..3) and total: 5 tasks


def keys(server, pattern):
    client = redis.Redis.from_url(server.url(0))
    try:
        return sorted(client.scan_iter(match=pattern))
    finally:
        client.close()


def test_status_shows_a_running_task_with_owner_and_age(tmp_path, redis_server, background, jug):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(with_sync("""\
        from jug import TaskGenerator

        @TaskGenerator
        def hold():
            touch("started")
            wait_for("go")
            return 1

        h = hold()
    """))
    url = redis_server.url(0)
    worker = background("w", "execute", "jugfile.py", "--jugdir", url)
    must(lambda: (tmp_path / "started").exists(), 60, "the task to start")
    status = jug("status", "jugfile.py", "--jugdir", url, "--active", cwd=tmp_path)
    assert "Running (1):" in status.stdout, status
    assert f"pid {worker.proc.pid}, for " in status.stdout
    assert "last heard" in status.stdout
    (tmp_path / "go").touch()
    assert worker.wait(60) == 0, worker


def test_cleanup_without_prefix_refuses_unless_all_in_db(tmp_path, redis_server, jug):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(SAMPLE)
    url = redis_server.url(0)
    assert jug("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path).returncode == 0
    redis_server.command("SET", "result:" + "ab" * 20, "")  # another project's result, or a stale one of ours
    refused = jug("cleanup", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert refused.returncode == 1
    assert "may hold other projects' results" in refused.stderr and "--all-in-db" in refused.stderr
    assert len(keys(redis_server, "result:*")) == 6
    done = jug("cleanup", "jugfile.py", "--jugdir", url, "--all-in-db", cwd=tmp_path)
    assert done.returncode == 0, done
    assert "Removed 1 objects" in done.stdout
    assert len(keys(redis_server, "result:*")) == 5


def test_cleanup_under_a_prefix_touches_nothing_outside_it(tmp_path, redis_server, jug):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(SAMPLE)
    ours, theirs = redis_server.url(0, "prefix=ours:"), redis_server.url(0, "prefix=theirs:")
    assert jug("execute", "jugfile.py", "--jugdir", theirs, cwd=tmp_path).returncode == 0
    (tmp_path / "jugfile.py").write_text(sample_jugfile(2))  # double(0), double(1), total
    assert jug("execute", "jugfile.py", "--jugdir", ours, cwd=tmp_path).returncode == 0
    (tmp_path / "jugfile.py").write_text(sample_jugfile(1))  # double(0) still used; the others not
    done = jug("cleanup", "jugfile.py", "--jugdir", ours, cwd=tmp_path)
    assert done.returncode == 0, done
    assert "Removed 2 objects" in done.stdout
    assert len(keys(redis_server, "ours:result:*")) == 1
    assert len(keys(redis_server, "theirs:result:*")) == 5


def test_cleanup_failed_only_clears_failures(tmp_path, redis_server, jug):
    redis_server.command("FLUSHALL")
    (tmp_path / "jugfile.py").write_text(gated_failure_jugfile("b = boom()\n"))
    (tmp_path / "go").touch()
    url = redis_server.url(0)
    run = jug("execute", "jugfile.py", "--jugdir", url, "--keep-failed", cwd=tmp_path)
    assert run.returncode == 1
    status = jug("status", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert summary_table(status.stdout)["Total"][0] == 1, status  # Failed
    assert keys(redis_server, "failure:*")
    done = jug("cleanup", "jugfile.py", "--jugdir", url, "--failed-only", cwd=tmp_path)
    assert "Removed 1 failure locks" in done.stdout, done
    assert keys(redis_server, "lock:*") == [] and keys(redis_server, "failure:*") == []


def test_unix_socket_with_database(tmp_path, new_redis_server, jug):
    server = new_redis_server(unix_socket=True)
    (tmp_path / "jugfile.py").write_text(SAMPLE)
    url = f"unix://{server.socket_path}?db=2"
    run = jug("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert summary_table(run.stdout)["Total"] == [5, 0], run
    check = jug("check", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert check.returncode == 0, check
    db2 = redis.Redis(unix_socket_path=server.socket_path, db=2)
    assert db2.dbsize() == 7  # 5 results, the worker's record log, and the set of its code fingerprints
    assert len(db2.keys("result:*")) == 5
    db2.close()


def test_password_stays_out_of_every_output(tmp_path, new_redis_server, jug):
    server = new_redis_server(password="s3cr3t-pw")
    (tmp_path / "jugfile.py").write_text(SAMPLE)
    good = server.url(0)
    run = jug("execute", "jugfile.py", "--jugdir", good, "--verbose", "debug", cwd=tmp_path)
    assert run.returncode == 0, run
    bad = good.replace("s3cr3t-pw", "wrong-pw")
    refused = jug("status", "jugfile.py", "--jugdir", bad, "--verbose", cwd=tmp_path)
    assert refused.returncode == 1
    assert "refused the user name or password" in refused.stderr
    missing = jug("status", "jugfile.py", "--jugdir", good.replace(":s3cr3t-pw@", ""), cwd=tmp_path)
    assert "wants a password" in missing.stderr, missing
    for output in (run.output, refused.output, missing.output):
        assert "s3cr3t-pw" not in output and "wrong-pw" not in output
    assert "redis://:***@127.0.0.1" in refused.stderr


def test_tls_with_a_certificate_authority(tmp_path, new_redis_server, jug):
    server = new_redis_server(tls=True)
    (tmp_path / "jugfile.py").write_text(SAMPLE)
    url = server.url(0, f"ssl_ca_certs={server.certificate}&prefix=tls:")
    run = jug("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert summary_table(run.stdout)["Total"] == [5, 0], run
    unverified = jug("status", "jugfile.py", "--jugdir", server.url(0), cwd=tmp_path)
    assert unverified.returncode == 1
    assert unverified.stderr.startswith("jug: error: cannot reach the Redis server at rediss://127.0.0.1:")
    assert "certificate verify failed" in unverified.stderr
    lax = jug("check", "jugfile.py", "--jugdir", server.url(0, "ssl_cert_reqs=none&prefix=tls:"), cwd=tmp_path)
    assert lax.returncode == 0, lax


# Two projects in one database without a prefix.  A's worker runs hold() while
# boom_a()'s failure is recorded; B's boom_b() fails before a barrier, so the
# tasks after it are unknown to B's cleanup.
PROJECT_A = with_sync("""\
    from jug import TaskGenerator

    @TaskGenerator
    def boom_a():
        raise ValueError("A fails")

    @TaskGenerator
    def hold():
        touch("a-running")
        wait_for("go")
        return 1

    f = boom_a()
    h = hold()
""")
PROJECT_B = """\
from jug import TaskGenerator, barrier

@TaskGenerator
def boom_b():
    raise ValueError("B fails")

@TaskGenerator
def after(x):
    return x

b = boom_b()
barrier()
c = after(b)
"""


def test_cleanup_of_locks_leaves_another_projects_locks_alone(tmp_path, redis_server, background, jug):
    redis_server.command("FLUSHALL")
    (tmp_path / "a.py").write_text(PROJECT_A)
    (tmp_path / "b.py").write_text(PROJECT_B)
    url = redis_server.url(0)
    a = background("a", "execute", "a.py", "--jugdir", url, "--keep-going")
    must(lambda: (tmp_path / "a-running").exists(), 60, "project A's worker to run hold()")
    a_keys = keys(redis_server, "*")
    assert len(a_keys) == 4, a_keys  # lock and lease of hold(), failed lock and record of boom_a()

    def b_fails():
        assert jug("execute", "b.py", "--jugdir", url, cwd=tmp_path).returncode == 1
        assert len(keys(redis_server, "*")) == 6  # and B's failed lock and record

    def b_cleans(*args):
        run = jug("cleanup", "b.py", "--jugdir", url, *args, cwd=tmp_path)
        assert run.returncode == 0, run
        assert "barrier" in run.stderr and "Traceback" not in run.stderr, run  # after it: unknown, left alone
        return run.stdout.strip()

    b_fails()
    assert b_cleans("--failed-only", "--dry-run") == "Would remove 1 failure locks"
    assert b_cleans("--failed-only") == "Removed 1 failure locks"
    assert keys(redis_server, "*") == a_keys
    b_fails()
    assert b_cleans("--locks-only", "--dry-run") == "Would remove 1 locks"
    assert b_cleans("--locks-only") == "Removed 1 locks"
    assert keys(redis_server, "*") == a_keys
    # Told so, B cleans the whole database, as Jug 2.7 does.
    run = jug("cleanup", "b.py", "--jugdir", url, "--failed-only", "--all-in-db", cwd=tmp_path)
    assert run.stdout.strip() == "Removed 1 failure locks" and "barrier" not in run.stderr, run
    assert keys(redis_server, "failure:*") == []
    (tmp_path / "go").touch()
    assert a.wait(60) == 1, a  # boom_a failed; hold() finished under its own lock
    assert summary_table(a.stdout)["a.hold"] == [1, 0], a


def test_changed_code_is_noted_and_invalidated_on_redis(tmp_path, redis_server, jug):
    url = redis_server.url(0, "prefix=changed:")
    (tmp_path / "jugfile.py").write_text(SAMPLE)
    assert summary_table(jug("execute", "jugfile.py", "--jugdir", url, cwd=tmp_path).stdout)["Total"] == [5, 0]
    (tmp_path / "jugfile.py").write_text("# a comment only\n\n" + SAMPLE)  # every line moves down
    assert "different version" not in jug("status", "jugfile.py", "--jugdir", url, cwd=tmp_path).stdout
    (tmp_path / "jugfile.py").write_text(SAMPLE.replace("return 2 * x", "return 3 * x"))
    status = jug("status", "jugfile.py", "--jugdir", url, cwd=tmp_path)
    assert "4 results of jugfile.double were computed by a different version of its code" in status.stdout, status
    removed = jug("invalidate", "jugfile.py", "--jugdir", url, "--changed", cwd=tmp_path)
    assert summary_table(removed.stdout)["Total"] == [5], removed  # and total, which needs them
    timings = jug("status", "jugfile.py", "--jugdir", url, "--timings", cwd=tmp_path)
    assert "No run records" in timings.stdout, timings
