"""The server-side steps that must be atomic, as Lua scripts (one round trip each).

Keys, for a task key ``h`` under the prefix ``P`` (empty by default):

* ``P result:h`` -- the result (Jug 2.7's name and format without a prefix);
* ``P lock:h``   -- ``L`` while held (with an expiry: the lease), ``F`` when
  failed (no expiry), as Jug 2.7 reads them;
* ``P lease:h``  -- who holds the lock: ``TOKEN SINCE HOST PID START``, with the
  same expiry as the lock (Jug 2.7 never reads it);
* ``P failure:h`` -- why the task failed (a FailureRecord as JSON);
* ``P record-log:<token>`` -- a worker's run records, appended by the calls
  that store its results: ``<h> <RunRecord.to_line>\n`` for a result stored
  with its record, ``<h> -<epoch seconds>\n`` for one stored without, or
  removed (the latest line of a key wins; Jug 2.7 lists only ``result:*``
  and ``lock:*``).  One APPEND per call: a record costs the server a tenth
  of what a key of its own would;
* ``P record-codes`` -- a set: ``<code fingerprint> <task name>`` of every
  record stored (a superset is all `jug status` needs: it shrinks only when a
  cleanup leaves no result at all).

A lock is ours while its lease starts with our token.  Every script takes the
prefix as ARGV[1]; task keys are passed as arguments, not KEYS, so a batch of
any size is one call (we never run against Redis Cluster).
"""
import hashlib

from redis.exceptions import NoScriptError

from jug_redis.client import pipelined
from jug_redis.wire import pack

__all__ = ["SCRIPTS", "Script"]

_LIBRARY = """
local P = ARGV[1]
local function name(kind, h) return P .. kind .. ':' .. h end
local function ours(h, token)
  local lease = redis.call('GET', name('lease', h))
  return lease and #token > 0 and string.sub(lease, 1, #token) == token
end
local function take(h, lease, px)
  redis.call('SET', name('lock', h), 'L', 'PX', px)
  redis.call('SET', name('lease', h), lease, 'PX', px)
end
local function extend(h, px)
  redis.call('PEXPIRE', name('lock', h), px)
  redis.call('PEXPIRE', name('lease', h), px)
end
-- Commit outcomes: c (stored), s (not stored: the lock is free and a result is
-- there, stored by the worker that took our lapsed lease over, or by us if this
-- call is a retry whose first reply was lost), x (not stored: another worker
-- holds the task now, or failed it).
local function lost(h)
  if redis.call('EXISTS', name('lock', h)) == 0 then return 's' end
  return 'x'
end
local function store_result(h, value, log_line, log)
  redis.call('SET', name('result', h), value)
  log[#log + 1] = log_line
end
local function append_log(token, log)
  if #log > 0 then redis.call('APPEND', P .. 'record-log:' .. token, table.concat(log)) end
end
local function free_and_undone(h)
  return redis.call('EXISTS', name('lock', h)) == 0 and redis.call('EXISTS', name('result', h)) == 0
end
"""

# ARGV: P, token, lease text, lease ms, ahead '1'/'0', number of commits,
# then per commit (h, release '1'/'0', value, its record-log line), then keys to claim.  Commits
# first: results of finished tasks are stored, and their locks released, in
# the round trip that claims the next tasks.  Returns {commit outcomes, claim
# outcomes, holders}: per commit c, s or x (see lost() above); per claim t
# (taken, or still ours: its lease renewed), T (the same, and it has a
# result), f (failed), b (held by another), d (has a result and is held by
# another; or, claiming ahead, has a result and was left alone); and for each
# x commit, the lease text of the worker holding the task now ('' if none).
_STEP = """
local token, lease, px, ahead = ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1'
local first_claim = 7 + 4 * tonumber(ARGV[6])
local committed, holders, log = {}, {}, {}
for i = 7, first_claim - 1, 4 do
  local h, release, value, log_line = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local outcome = 'c'
  if ours(h, token) then
    store_result(h, value, log_line, log)
    if release == '1' then redis.call('DEL', name('lock', h), name('lease', h)) end
  elseif free_and_undone(h) then  -- our lease lapsed and nobody took the task over
    store_result(h, value, log_line, log)
  else
    outcome = lost(h)
    if outcome == 'x' then holders[#holders + 1] = redis.call('GET', name('lease', h)) or '' end
  end
  committed[#committed + 1] = outcome
end
append_log(token, log)
local claimed = {}
for i = first_claim, #ARGV do
  local h = ARGV[i]
  local done = redis.call('EXISTS', name('result', h)) == 1
  local held = redis.call('GET', name('lock', h))
  local outcome
  if not held and not (ahead and done) then
    take(h, lease, px)
    outcome = done and 'T' or 't'
  elseif held == 'F' then
    outcome = 'f'
  elseif held and ours(h, token) then  -- claimed ahead, asked again; or a retry whose reply was lost
    extend(h, px)
    outcome = done and 'T' or 't'
  else
    outcome = done and 'd' or 'b'
  end
  claimed[#claimed + 1] = outcome
end
return {table.concat(committed), table.concat(claimed), holders}
"""

# ARGV: P, token, h, staged key, release, its record-log line.  A large result was
# SET under the staged key (with an expiry, in case we die); move it into place
# if the task is still ours.  Returns {outcome, holder} as one commit of _STEP.
_COMMIT_STAGED = """
local token, h, staged, release, log_line = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if ours(h, token) or free_and_undone(h) then
  redis.call('RENAME', staged, name('result', h))
  redis.call('PERSIST', name('result', h))
  append_log(token, {log_line})
  if release == '1' and ours(h, token) then redis.call('DEL', name('lock', h), name('lease', h)) end
  return {'c', ''}
end
redis.call('DEL', staged)
return {lost(h), redis.call('GET', name('lease', h)) or ''}
"""

# ARGV: P, token, lease ms, keys.  Returns 1/0 per key: still ours.
_RENEW = """
local token, px = ARGV[2], ARGV[3]
local out = {}
for i = 4, #ARGV do
  local h = ARGV[i]
  if ours(h, token) then
    extend(h, px)
    out[#out + 1] = '1'
  else
    out[#out + 1] = '0'
  end
end
return table.concat(out)
"""

# ARGV: P, token, keys.  Releases our leases, and failed locks (they belong to
# nobody); returns how many were released.
_RELEASE = """
local token = ARGV[2]
local released = 0
for i = 3, #ARGV do
  local h = ARGV[i]
  if ours(h, token) then
    redis.call('DEL', name('lock', h), name('lease', h))
    released = released + 1
  elseif redis.call('GET', name('lock', h)) == 'F' then
    released = released + redis.call('DEL', name('lock', h))
    redis.call('DEL', name('failure', h))
  end
end
return released
"""

# ARGV: P, token, h, record.  Mark our lock failed (no expiry: a failure
# stays until a run retries it or cleanup clears it); 1 if it is failed now.
_FAIL = """
local token, h, record = ARGV[2], ARGV[3], ARGV[4]
if redis.call('GET', name('lock', h)) == 'F' then return 1 end
if not ours(h, token) then return 0 end
redis.call('SET', name('lock', h), 'F')
redis.call('DEL', name('lease', h))
if record ~= '' then redis.call('SET', name('failure', h), record) else redis.call('DEL', name('failure', h)) end
return 1
"""

# ARGV: P, token, lease text, lease ms, h, the failure record we judged old
# ('' for none).  Take the failed lock only if it is still that failure.
_TAKE_FAILED = """
local token, lease, px, h, seen = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if ours(h, token) then return 1 end
if redis.call('GET', name('lock', h)) ~= 'F' then return 0 end
if (redis.call('GET', name('failure', h)) or '') ~= seen then return 0 end
redis.call('DEL', name('failure', h))
take(h, lease, px)
return 1
"""

# ARGV: P, h, largest.  The result of h if it has fewer than `largest` bytes,
# else its length (values.py reads it in chunks); nil if there is none.
_VALUE = """
local result = name('result', ARGV[2])
local size = redis.call('STRLEN', result)
if size >= tonumber(ARGV[3]) then return size end
return redis.call('GET', result)
"""

# ARGV: P, keys.  One byte per key: 1 if it has a result, else 0.
_HAVE_RESULTS = """
local call, result = redis.call, P .. 'result:'
local out = {}
for i = 2, #ARGV do
  out[i - 1] = call('EXISTS', result .. ARGV[i])
end
return table.concat(out)
"""

# ARGV: P, with_details ('1'/'0'), keys.  Per key: '-' free, 'L' held,
# 'F' failed; with details, also {index, lock, lease, lease ms left, failure}
# for each locked key.
_LOCKS = """
local details = ARGV[2] == '1'
local states, found = {}, {}
for i = 3, #ARGV do
  local h = ARGV[i]
  local held = redis.call('GET', name('lock', h))
  if not held then
    states[#states + 1] = '-'
  else
    states[#states + 1] = held == 'F' and 'F' or 'L'
    if details then
      found[#found + 1] = i - 2
      found[#found + 1] = held
      found[#found + 1] = redis.call('GET', name('lease', h)) or ''
      found[#found + 1] = redis.call('PTTL', name('lock', h))
      found[#found + 1] = redis.call('GET', name('failure', h)) or ''
    end
  end
end
return {table.concat(states), found}
"""


class Script:
    """A Lua script run by its SHA-1 (EVALSHA), loaded again when the server
    forgot it (a restart flushes the script cache)."""

    def __init__(self, body):
        self.source = (_LIBRARY + body).encode()
        self.sha = hashlib.sha1(self.source).hexdigest()

    def __call__(self, client, *args):
        """One call."""
        try:
            return client.evalsha(self.sha, 0, *args)
        except NoScriptError:
            client.script_load(self.source)
            return client.evalsha(self.sha, 0, *args)

    def many(self, client, head, chunks):
        """One call per chunk (arguments ``head + chunk``: bytes), all in one round trip."""
        commands = [pack([b"EVALSHA", self.sha.encode(), b"0", *head], chunk) for chunk in chunks]
        try:
            return pipelined(client, commands)
        except NoScriptError:
            client.script_load(self.source)
            return pipelined(client, commands)


class _Scripts:
    step = Script(_STEP)
    commit_staged = Script(_COMMIT_STAGED)
    renew = Script(_RENEW)
    release = Script(_RELEASE)
    fail = Script(_FAIL)
    take_failed = Script(_TAKE_FAILED)
    value = Script(_VALUE)
    have_results = Script(_HAVE_RESULTS)
    locks = Script(_LOCKS)


SCRIPTS = _Scripts()
