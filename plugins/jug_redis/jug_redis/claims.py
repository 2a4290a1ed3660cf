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

A lease is *fresh* while it was last confirmed by the server (taken or
renewed) less than half a lease ago, on a clock that counts through suspend.
Only fresh leases are trusted without asking: a task claimed ahead is claimed
again before it runs if its lease is not fresh (the worker was frozen, or a
task kept the heartbeat from running), and a result whose lease is not fresh
is committed at once, so that a lost lease raises LeaseLost instead of the
task being counted as executed.  A lease the heartbeat finds lost is not
renewed again, nor trusted.
"""
import atexit
import threading
import time
import weakref

from jugcore.api import LeaseLost, lease_clock

from jug_redis.connection import counting_attempts, warn
from jug_redis.leases import Heartbeat, Owner, holder_of
from jug_redis.lua import SCRIPTS

__all__ = ["Claims"]

FLUSH_DELAY = 0.05
_AHEAD_SECONDS = 0.05  # claim about this much work ahead, when tasks are short
_MAX_AHEAD = 64
_STAGE_FROM = 1 << 20
_FRESH = 0.5  # of the lease: confirmed more recently than this, a lease is surely still ours
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
        # key -> lease_clock() of the round trip that last confirmed its lease ours
        # (None: the heartbeat found it lost); claimed ahead and handed out alike
        self.held = {}
        self.has_result = set()  # held keys that had a result when we took them
        self.outcomes = {}  # key -> outcome of a claim made ahead, until get() uses it
        self.last = (None, None)  # (key, outcome) of the latest get() that did not take the lock
        self.pending = {}  # key -> [release "0"/"1", value, record-log line]: commits not sent yet
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
        # Claimed ahead, but our lease may have lapsed since (we were frozen): ask again.
        stale = outcome is not None and outcome in _TAKEN and not self.fresh(key)
        if stale or outcome is None or outcome == _DONE:  # found done ahead, not taken: take it, as asked
            if key in self.held and not stale:  # held already, by an earlier get(): not taken by this one
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

    def fresh(self, key):
        """True if ``key``'s lease is ours and was confirmed so recently that it cannot have lapsed."""
        confirmed = self.held.get(key)
        return confirmed is not None and lease_clock() - confirmed < self._lease_seconds * _FRESH

    def hold(self, key, confirmed):
        """``key``'s lease is ours, as a round trip sent at ``confirmed`` (lease_clock) found."""
        self.held[key] = confirmed

    def let_go(self, key):
        self.held.pop(key, None)

    def forget(self, keys):
        """Locks of ``keys`` were removed behind our back (cleanup): none is ours now."""
        for key in keys:
            self.held.pop(key, None)
            self.has_result.discard(key)
            self.outcomes.pop(key, None)
        self.last = (None, None)

    def claim(self, keys, patient=True, ahead=True):
        """Send the waiting commits and claim ``keys``, in one round trip.  Not
        ``patient`` (the heartbeat thread): give up at once if the server is
        away, keeping the commits for the main thread to send.  ``ahead``:
        leave alone the keys that have a result.  A commit found lost is
        warned about: the task was counted as executed before we knew."""
        for key, holder in self._step(keys, patient, ahead).items():
            _warn_lost(key, holder, "after the task was counted as executed")

    def _step(self, keys, patient, ahead):
        """:meth:`claim`'s round trip; {key: holder} of the commits found lost."""
        with self.mutex:
            commits = self._take_pending()
            lease_text = self.owner.current().lease_text(self.lease_ms)
            args = [self.prefix, self.owner.token, lease_text, self.lease_ms, "1" if ahead else "0", len(commits)]
            for key, (release, value, log_line) in commits.items():
                args += (key, release, value, log_line)
            args += keys
            sent = lease_clock()
            try:
                reply, retried = counting_attempts(
                    self.connection.run if patient else self.connection.try_once, SCRIPTS.step, *args)
            except BaseException:
                self._restore_pending(commits)
                raise
            if reply is None:
                self._restore_pending(commits)
                return {}
            committed, claimed, holders = reply
            lost = self._committed(commits, committed, holders, retried)
            if keys:
                self._claimed = (time.monotonic(), len(keys))
            for key, outcome in zip(keys, claimed.decode()):
                self.outcomes[key] = outcome
                if outcome in _TAKEN:
                    self.held[key] = sent
                else:  # (asked again after an outage: no longer ours)
                    self.held.pop(key, None)
        if keys and self._heartbeat is None:
            self._start_heartbeat()
        return lost

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

    def dump(self, key, data, log_line):
        """Commit ``data`` as the result of ``key``, a lock we hold, and append
        ``log_line`` to our record log with it (see lua.py); LeaseLost if
        another worker took it over.  Waits for the next round trip only while
        the lease is fresh (it then cannot be lost before that trip, short of a
        freeze in the next few milliseconds)."""
        if len(data) >= _STAGE_FROM:
            self._commit_staged(key, data, log_line)
            return
        with self.mutex:
            was_empty = not self.pending
            self.pending[key] = ["0", data, log_line]
            if not self.fresh(key):
                lost = self._step([], patient=True, ahead=True)
                if key in lost:
                    self.held.pop(key, None)
                    raise LeaseLost(key, lost.pop(key))
                for other, holder in lost.items():
                    _warn_lost(other, holder, "after the task was counted as executed")
                return
        if was_empty and self._heartbeat is not None:
            self._heartbeat.flush_soon()

    def _commit_staged(self, key, data, log_line):
        staged = b"%sstaged:%s:%s" % (self.prefix, key, self.owner.token.encode())
        with self.mutex:
            self.pending.pop(key, None)

            def send(client):
                pipe = client.pipeline(transaction=False)
                pipe.set(staged, data, px=max(self.lease_ms * 4, 600_000))
                pipe.execute()
                return SCRIPTS.commit_staged(client, self.prefix, self.owner.token, key, staged, "0", log_line)

            (outcome, holder), retried = counting_attempts(self.connection.run, send)
            lost = self._committed({key: ["0", None]}, outcome, [holder], retried)
            self.held.pop(key, None)  # stored: can_load asks the server; release() still releases it
        if lost:
            raise LeaseLost(key, lost[key])

    def release(self, key):
        """Give up our lock of ``key`` (with its pending commit, if any); also
        clears a failed lock, which belongs to nobody."""
        self.changed(key)
        with self.mutex:
            if key in self.pending:
                self.pending[key][0] = "1"
                self.held.pop(key, None)
                return
            self.held.pop(key, None)
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

    def _committed(self, commits, outcomes, holders, retried):
        """Forget the locks released by ``commits``; {key: holder} of those whose
        outcome (see lua.py) says our result was not stored.  After a retry, an
        ``s`` may be our own first attempt, stored: then it counts as stored."""
        outcomes = outcomes.decode() if isinstance(outcomes, bytes) else outcomes
        holders = iter(holders)
        lost = {}
        for key, outcome in zip(commits, outcomes):
            if commits[key][0] == "1":
                self.held.pop(key, None)
            if outcome == "x":
                lost[key] = holder_of(next(holders).decode(errors="replace"))
            elif outcome == "s" and not retried:
                lost[key] = ""
        return lost

    # --- keeping leases alive ------------------------------------------------------------
    def _start_heartbeat(self):
        interval = max(self._lease_seconds / 3, 0.05)
        self._heartbeat = Heartbeat(self._renew, interval, self._flush_in_background, FLUSH_DELAY)
        self._heartbeat.start()

    def _renew(self):
        with self.mutex:
            keys = [key for key, confirmed in self.held.items() if confirmed is not None]
            if not keys:
                return
            sent = lease_clock()
            still = self.connection.try_once(SCRIPTS.renew, self.prefix, self.owner.token, self.lease_ms, *keys)
            if still is None:
                return  # the server is away; the main thread's calls wait for it
            for key, mark in zip(keys, still.decode()):
                if key in self.held:
                    self.held[key] = sent if mark == "1" else None
                    if mark == "0":
                        warn(f"lost the lease on task {key.decode()}: the server heard nothing from this "
                             "worker for longer than the lease, so another worker may have taken it over")

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
                for key in unused:
                    self.held.pop(key, None)
                self.connection.run(SCRIPTS.release, self.prefix, self.owner.token, *unused)


def _warn_lost(key, holder, when):
    warn(f"lease lost: task {key.decode()} was taken over by {holder or 'another worker'}; "
         f"our result was discarded (found {when})")


def _flush_at_exit(claims_ref):
    claims = claims_ref()
    if claims is not None and claims.pending:
        try:
            claims.flush()
        except Exception as e:  # the interpreter is ending: say it, do not raise
            warn(f"results not stored at exit: {e}")
