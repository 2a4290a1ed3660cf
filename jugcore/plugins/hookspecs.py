"""The hooks a jug plugin can implement: the reference for plugin authors.

Plugins are modules or objects registered under the entry-point group
``jug`` whose functions carry ``@jugcore.api.hookimpl``.  A hook may grow new
keyword arguments over time; an implementation may accept fewer than the
spec lists (pluggy passes only the ones it names).
"""
from jugcore.markers import hookspec


@hookspec
def jug_store_backends():
    """Declare the jugdir schemes this plugin serves.

    Called once per command, before a store is opened.

    :return: a list of :class:`jugcore.api.StoreBackend`.  The core selects
        the backend by the jugdir's scheme, refuses a scheme declared by two
        plugins (naming both), and lists the installed schemes when a jugdir
        names an unknown one.  It opens the store with
        ``backend.open(url, settings)``: a :class:`jugcore.api.JugdirURL` and
        the configuration's :class:`jugcore.api.Settings`.
    """


@hookspec
def jug_register_commands(cli):
    """Add subcommands to the ``jug`` command line.

    Called once while the CLI is built, for every plugin in turn.

    :param cli: the root ``click.Group``; call ``cli.add_command(command)``.
        A command name another plugin already added is refused with an error
        naming both plugins.
    """


@hookspec
def jug_config_sources(start_dir):
    """Name the places configuration is read from.

    Called once per command, after the plugins are loaded and the commands
    registered, before the command runs (and on first use of
    :func:`jugcore.api.get_setting` outside the command line).  The
    built-in plugin ``config-sources`` returns the ``JUG_*`` environment,
    the project's ``.jugrc`` / ``jugrc`` / ``pyproject.toml`` and the user's
    jugrc.

    :param start_dir: the folder project files are searched from (the
        current folder).
    :return: a list of :class:`jugcore.api.ConfigSource`.  The core reads
        each once, orders them by ``rank`` (lower wins; the command line beats
        every source), converts every value to its key's type, and reports a
        wrong type as an error and an unknown key as a warning, naming the
        origin of the entry (file and line, or environment variable).
    """


@hookspec(historic=True)
def jug_add_settings(settings):
    """Declare this plugin's own configuration keys.

    Called once for every plugin, as it is registered (a historic hook: a
    plugin registered late is still asked).  A command's options need no
    declaration: each is already configurable in the section named after
    the command.

    :param settings: a :class:`jugcore.api.SettingsRegistry`; call
        ``settings.add(section, key, type=int, default=..., help="...",
        env=("LEGACY_NAME",))``.  The key is then read from every config
        source, as ``[section] key`` in files and ``JUG_<SECTION>_<KEY>`` in
        the environment, is listed by `jug config`, and its value is
        ``jugcore.api.get_setting("section.key")``.  A key declared by two
        plugins is refused, naming both.
    """


@hookspec(firstresult=True)
def jug_hash_object(obj):
    """Give the bytes that identify ``obj`` in a task key.

    Called for an argument whose type the core does not hash itself (not a
    builtin scalar, list, tuple, set, frozenset or dict, and without a
    ``__jug_hash__`` method), before the core falls back to pickling it.

    :param obj: the object.
    :return: bytes, or an iterable of bytes-like chunks (fed in order), or
        None to decline.  Stops at the first non-None result.  Decide by type:
        once every plugin declines a type, the core pickles that type's
        objects without asking again.
    """


@hookspec
def jug_execute_started(jugfile, store, total, workers):
    """A ``jug execute`` pass begins.

    Called after each import pass of the jugfile (once per barrier pass),
    before that pass's tasks run; with ``-j N``, in each worker process.

    :param jugfile: path of the jugfile.
    :param store: the open store.
    :param total: number of tasks this pass knows about (grows over barrier passes).
    :param workers: N when this process is one of the workers of ``jug execute
        -j N`` (their parent shows their combined progress, see
        :func:`jug_workers_progress`: show none here), else 1.
    """


@hookspec
def jug_tasks_skipped(tasks):
    """These tasks already had results (found in the store): they count as loaded.

    Called in batches (once per store query, not once per task), because a
    re-run of a finished jugfile skips every task.

    :param tasks: list of Task.
    """


@hookspec
def jug_task_started(task):
    """Called after this worker took ``task``'s lock, just before its function runs.

    :param task: the Task.
    """


@hookspec
def jug_task_finished(task, seconds):
    """Called after ``task`` ran and its result was stored, before its lock is released.

    :param task: the Task.
    :param seconds: how long it ran (storing included).
    """


@hookspec
def jug_task_failed(task, error):
    """Called when ``task`` raised, or its result could not be stored, before its
    lock is marked failed (with a record of the error that every process can read).

    :param task: the Task.
    :param error: the exception.
    """


@hookspec
def jug_execute_finished(summary):
    """``jug execute`` is done.

    Called once per worker process after its last pass, whether the run
    finished, failed or was stopped (not when the jugfile failed to import).

    :param summary: :class:`jugcore.api.RunSummary` (counts per task
        name, failures, why it stopped).
    """


@hookspec
def jug_execute_reported(summary):
    """``jug execute`` has printed its report (the table and how the run ended).

    Called once per worker process, right after :func:`jug_execute_finished`'s
    summary was printed (a worker of ``jug execute -j N`` sends its summary to
    its parent instead of printing it, and is called then).

    :param summary: :class:`jugcore.api.RunSummary`, as for ``jug_execute_finished``.
    """


@hookspec(firstresult=True)
def jug_workers_progress(jobs):
    """Offer a display for the combined progress of ``jug execute -j N``'s workers.

    Called once in the parent of ``jug execute -j N``, before it starts its
    workers.  Without a display the parent shows no progress, and the workers
    send none.

    :param jobs: N, the number of workers.
    :return: None to show nothing, or an object with ``show(done, total, ran,
        failed)``, called at least every 0.2 s while workers run with their
        combined counts (done: tasks finished or found finished; ran: run by
        the workers; total: tasks known), and ``close()``, called once when
        every worker has exited, after the last ``show``.  If it has a true
        ``output_above`` attribute, the workers' stdout and stderr (those of
        them that are terminals in the parent) come through the parent, which
        writes them a whole line at a time to its own ``sys.stdout`` and
        ``sys.stderr`` (where such a display keeps them above itself).  Stops
        at the first non-None result.
    """


@hookspec(firstresult=True)
def jug_should_stop(state):
    """Ask whether the worker should stop before starting its next task.

    Called before each task a worker is about to run.

    :param state: :class:`jugcore.api.WorkerState` (tasks executed,
        start time, jugfile directory).
    :return: a short reason (str) to stop, or None to go on.  Stops at the
        first non-None result.  A stopped worker exits 0: its tasks are left
        for the next run.
    """


@hookspec
def jug_self_check_jugdirs(settings):
    """Name the jugdirs `jug test-jug` checks this plugin's stores on.

    Called by `jug test-jug` only, once.  It runs the store contract
    (pytest-jug's suite, or a short check without it) and a small jugfile on
    each jugdir, and reports every scheme no plugin names a jugdir for as
    skipped.

    :param settings: the configuration's :class:`jugcore.api.Settings` (a
        server to check on may be configured there).
    :return: a list of :class:`jugcore.api.SelfCheckJugdir` ``(jugdir,
        unsupported, skipped)``.  A relative path lands in a fresh temporary
        folder; ``{unique}`` in ``jugdir`` becomes a fresh token at each use
        (a prefix on a shared server); what a check leaves is removed with
        ``Store.cleanup``.  Give ``skipped`` (a reason) when the store cannot
        be checked here.
    """


@hookspec(firstresult=True)
def jug_owner_alive(owner):
    """Say whether the process holding a lock still runs.

    Called when a store finds a task locked by another process (before it
    waits for it or takes it over), and by `jug status` for every lock it
    shows: keep it cheap, and batch and cache what you ask elsewhere (a
    scheduler: one query per poll, not one per lock).  The built-in plugin
    ``local-owners`` judges this host's processes by pid and start time.

    :param owner: :class:`jugcore.api.Owner` as the lock recorded it (``host``,
        ``pid``, ``started``, ``pidns``, and ``details``: the (name, value)
        pairs of ``jug_owner_details``, so ``dict(owner.details)``).
    :return: True (it runs), False (it has ended: its locks are dead and the
        next worker takes its tasks over), or None when this plugin cannot
        tell.  Stops at the first non-None result; when every plugin returns
        None the lock counts as alive.
    """


@hookspec
def jug_owner_details():
    """Describe this process for the locks it takes and the failures it records.

    Called once per worker process, when it takes its first lock or records
    its first failure.

    :return: a dict of names to strings (``{"slurm-job": "12_3", "log":
        "/scratch/run/jug-12_3.out"}``), or None.  The dicts of all plugins
        are merged.  Names and values are shown by `jug status --active` and
        `--failed`, and given back to ``jug_owner_alive`` in ``owner.details``.
    """
