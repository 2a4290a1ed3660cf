"""The locks one process holds, in as few round trips as possible.

A claim asks, for each key, "has it a result? is it failed? else take it"
in one script, and sends the commits waiting since the last claim in the
same round trip.  When tasks are short, :meth:`Claims.prepare` claims the
next several ready tasks at once (the scheduler's ``prepare_locks`` hint),
and ``get()`` answers from what that claim found.

A finished task's result is *committed*: stored, and its lock released, only
while the lease is still ours (a worker that lost its lease never overwrites
the work of the worker that took the task over).  Small results wait for
the next round trip, at most ``FLUSH_DELAY`` (the heartbeat thread sends them
then); reads send them first, so this process always reads its own writes.
Results of 1 MiB or more are staged under a key of their own and moved into
place at once.
"""
import atexit
import threading
import time
import weakref

from jug_redis.connection import warn
from jug_redis.leases import Heartbeat, Owner
from jug_redis.lua import SCRIPTS

__all__ = ["Claims"]

FLUSH_DELAY = 0.05
_AHEAD_SECONDS = 0.05  # claim about this much work ahead, when tasks are short
_MAX_AHEAD = 64
_STAGE_FROM = 1 << 20
# Outcomes of a claim (see lua.py): taken (t, or T with a result), done
# (has a result, not taken), failed, busy.
_TAKEN_DONE, _DONE, _BUSY = "T", "d", "b"
_TAKEN = "tT"
_WITH_RESULT = "Td"


class Claims:
    def __init__(self, connection, prefix, lease):
        self.connection = connection
        self.prefix = prefix
        self.lease_ms = max(1, int(lease * 1000))
        self.owner = Owner()
        self.held = set()  # keys whose lease is ours
        self.has_result = set()  # held keys that had a result when we took them
        self.outcomes = {}  # key -> outcome of a claim made ahead, until get() uses it
        self.last = (None, None)  # (key, outcome) of the latest get() that did not take the lock
        self.pending = {}  # key -> [release '0'/'1', value]: commits not sent yet
        self.mutex = threading.RLock()  # one round trip at a time; guards the above
        self._ahead = 1
        self._claimed = (0.0, 0)  # (monotonic time, keys) of the latest claim
        self._heartbeat = None
        self._lease_seconds = lease
        atexit.register(_flush_at_exit, weakref.ref(self))  # a script that never calls close()

    # --- taking locks ---------------------------------------------------------------
    def prepare(self, upcoming):
        """Claim several of ``upcoming`` (the scheduler's ready queue) in one round trip."""
        outcomes = self.outcomes
        if not upcoming or upcoming[0] in outcomes:
            return
        self._adapt()
        room = self._ahead - len(outcomes)  # never more than _ahead claimed and not yet tried
        if room > 1:
            held = self.held
            keys = []
            for key in upcoming:
                if key not in outcomes and key not in held:
                    keys.append(key)
                    if len(keys) == room:
                        break
            self.claim(keys)

    def _adapt(self):
        """Claim ahead as many tasks as take about _AHEAD_SECONDS, judged by the
        time the previous claim's tasks took; grow by doubling."""
        when, count = self._claimed
        if count:
            per_task = max(time.monotonic() - when, 1e-6) / count
            fits = int(_AHEAD_SECONDS / per_task)
            self._ahead = max(1, min(fits, 2 * self._ahead, _MAX_AHEAD))

    def get(self, key):
        outcome = self.outcomes.pop(key, None)
        if outcome is None or outcome == _DONE:  # found done ahead, not taken: take it, as asked
            if key in self.held:  # held already, by an earlier get(): not taken by this one
                self.last = (key, _BUSY)
                return False
            self.claim([key], ahead=False)
            outcome = self.outcomes.pop(key)
        self.last = (key, outcome)
        if outcome in _TAKEN:
            if outcome == _TAKEN_DONE:
                self.has_result.add(key)
            return True
        return False

    def seen(self, key):
        """What the latest claim of ``key`` found, if get() just asked for it."""
        last_key, outcome = self.last
        return outcome if last_key == key else None

    def changed(self, key):
        """The lock of ``key`` changes hands: what we knew of it is stale."""
        self.has_result.discard(key)
        if self.last[0] == key:
            self.last = (None, None)

    def forget(self, keys):
        """Locks of ``keys`` were removed behind our back (cleanup): none is ours now."""
        for key in keys:
            self.held.discard(key)
            self.has_result.discard(key)
            self.outcomes.pop(key, None)
        self.last = (None, None)

    def claim(self, keys, patient=True, ahead=True):
        """Send the waiting commits and claim ``keys``, in one round trip.  Not
        ``patient`` (the heartbeat thread): give up at once if the server is
        away, keeping the commits for the main thread to send.  ``ahead``:
        leave alone the keys that have a result."""
        with self.mutex:
            commits = self._take_pending()
            lease_text = self.owner.current().lease_text(self.lease_ms)
            args = [self.prefix, self.owner.token, lease_text, self.lease_ms, "1" if ahead else "0", len(commits)]
            for key, (release, value) in commits.items():
                args += (key, release, value)
            args += keys
            try:
                reply = (self.connection.run if patient else self.connection.try_once)(SCRIPTS.step, *args)
            except BaseException:
                self._restore_pending(commits)
                raise
            if reply is None:
                self._restore_pending(commits)
                return
            committed, claimed = reply
            self._committed(commits, committed)
            if keys:
                self._claimed = (time.monotonic(), len(keys))
            for key, outcome in zip(keys, claimed.decode()):
                self.outcomes[key] = outcome
                if outcome in _TAKEN:
                    self.held.add(key)
        if keys and self._heartbeat is None:
            self._start_heartbeat()

    # --- committing results ---------------------------------------------------------
    def holds(self, key):
        return key in self.held

    def known_result(self, key):
        """True/False if we know whether ``key`` has a result without asking the
        server (a lock we hold, or the latest get()); None if we do not."""
        if key in self.held:
            if key in self.pending:
                return None  # stored by a commit not sent yet: ask (after sending it)
            return key in self.has_result
        seen = self.seen(key)
        return None if seen is None else seen in _WITH_RESULT

    def dump(self, key, data):
        """Commit ``data`` as the result of ``key``, a lock we hold."""
        if len(data) >= _STAGE_FROM:
            self._commit_staged(key, data)
            return
        with self.mutex:
            was_empty = not self.pending
            self.pending[key] = ["0", data]
        if was_empty and self._heartbeat is not None:
            self._heartbeat.flush_soon()

    def _commit_staged(self, key, data):
        staged = b"%sstaged:%s:%s" % (self.prefix, key, self.owner.token.encode())
        with self.mutex:
            self.pending.pop(key, None)

            def send(client):
                pipe = client.pipeline(transaction=False)
                pipe.set(staged, data, px=max(self.lease_ms * 4, 600_000))
                pipe.execute()
                return SCRIPTS.commit_staged(client, self.prefix, self.owner.token, key, staged, "0")

            outcome = self.connection.run(send)
            self._committed({key: ["0", None]}, outcome)
            self.held.discard(key)  # stored: can_load asks the server; release() still releases it

    def release(self, key):
        """Give up our lock of ``key`` (with its pending commit, if any); also
        clears a failed lock, which belongs to nobody."""
        self.changed(key)
        with self.mutex:
            if key in self.pending:
                self.pending[key][0] = "1"
                self.held.discard(key)
                return
            self.held.discard(key)
            self.connection.run(SCRIPTS.release, self.prefix, self.owner.token, key)

    def flush(self, patient=True):
        """Send the waiting commits now."""
        with self.mutex:
            if self.pending:
                self.claim([], patient)

    def _take_pending(self):
        commits, self.pending = self.pending, {}
        return commits

    def _restore_pending(self, commits):
        commits.update(self.pending)
        self.pending = commits

    def _committed(self, commits, outcomes):
        outcomes = outcomes.decode() if isinstance(outcomes, bytes) else outcomes
        for key, outcome in zip(commits, outcomes):
            if commits[key][0] == "1":
                self.held.discard(key)
            if outcome != "c":
                warn(f"the lease on task {key.decode()} ran out and another worker took the task over; "
                     "its result is left to that worker")

    # --- keeping leases alive ------------------------------------------------------------
    def _start_heartbeat(self):
        interval = max(self._lease_seconds / 3, 0.05)
        self._heartbeat = Heartbeat(self._renew, interval, self._flush_in_background, FLUSH_DELAY)
        self._heartbeat.start()

    def _renew(self):
        with self.mutex:
            keys = list(self.held)
            if not keys:
                return
            still = self.connection.try_once(SCRIPTS.renew, self.prefix, self.owner.token, self.lease_ms, *keys)
        if still is None:
            return  # the server is away; the main thread's calls wait for it
        for key, mark in zip(keys, still.decode()):
            if mark == "0" and key in self.held:
                warn(f"lost the lease on task {key.decode()}: another worker may run it")

    def _flush_in_background(self):
        self.flush(patient=False)

    def close(self):
        """Stop the heartbeat, send waiting commits, give up the locks claimed ahead."""
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
        with self.mutex:
            self.flush()
            unused = [k for k, outcome in self.outcomes.items() if outcome in _TAKEN]
            self.outcomes.clear()
            if unused:  # claimed ahead, never asked for; locks handed out stay until released
                self.held.difference_update(unused)
                self.connection.run(SCRIPTS.release, self.prefix, self.owner.token, *unused)


def _flush_at_exit(claims_ref):
    claims = claims_ref()
    if claims is not None and claims.pending:
        try:
            claims.flush()
        except Exception as e:  # the interpreter is ending: say it, do not raise
            warn(f"results not stored at exit: {e}")
