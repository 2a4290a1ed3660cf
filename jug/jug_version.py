"""``jug.jug_version``: the version of Jug whose API, task keys and jugdirs these
are (jugcore's own is ``jugcore_version``), and how to cite Jug."""
from jugcore import JUG_COMPATIBLE_VERSION as __version__, __version__ as jugcore_version  # noqa: F401
from jugcore.face import JUG_CITATION as CITATION  # noqa: F401
