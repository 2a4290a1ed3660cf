"""`jug --help` lists every command with the whole first sentence of its help,
not click's 45 characters and an ellipsis."""
import re


def _commands_section(text):
    section = text.split("Commands:\n", 1)[1]
    entries, current = {}, None
    for line in section.splitlines():
        match = re.match(r"^  (\S+)\s+(.*)$", line)
        if match:
            current = match.group(1)
            entries[current] = match.group(2)
        elif line.strip() and current:
            entries[current] += " " + line.strip()
    return entries


def test_help_shows_whole_first_sentences(jug, tmp_path):
    run = jug("--help", cwd=tmp_path)
    assert run.returncode == 0, run
    entries = _commands_section(run.stdout)
    assert {"execute", "status", "cleanup", "invalidate", "plugins"} <= set(entries), run
    assert not [name for name, text in entries.items() if text.endswith("...")], entries
    assert entries["cleanup"] == "Remove the results in the jugdir that no task of JUGFILE uses, then the locks."
    assert entries["invalidate"] == ("Remove the results of the chosen tasks of JUGFILE, and of every task "
                                     "that needs them.")
    assert all(text.endswith(".") for text in entries.values()), entries
