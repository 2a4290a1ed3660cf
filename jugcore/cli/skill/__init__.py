"""The skill `jug install-skills` installs (package data: the files under jug/)."""
