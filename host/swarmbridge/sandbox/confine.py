"""Filesystem confinement for the Python runner: with Landlock (Linux >= 5.13, through the
``landlock`` package) the code may read the system but write only in its scratch folder, also when
the daemon runs as root. The rules are applied by a small bootstrap in the child itself, after any
namespace tool (``unshare``/``bwrap``) has done its own setup and before a line of the user's code
runs; a Landlock domain cannot be lifted by the process it confines, nor by its children.

Whether it works here is detected by running a probe that must fail to write outside its folder
(never assumed from the kernel version); where it does not, results say the filesystem is not
confined.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
from pathlib import Path

#: Runs first in the child: confine writes to the working directory (the scratch folder) and
#: /dev/null, then run the user's code (argv[1]) as __main__.
BOOTSTRAP = """import os, sys
from landlock import FSAccess, Ruleset
_rs = Ruleset()
_rs.allow("/", rules=FSAccess.EXECUTE | FSAccess.READ_FILE | FSAccess.READ_DIR)
_rs.allow(os.getcwd())
_rs.allow("/dev/null", rules=FSAccess.READ_FILE | FSAccess.WRITE_FILE)
_rs.apply()
_code = sys.argv[1]
del _rs, FSAccess, Ruleset, os, sys
exec(compile(_code, "<sandbox>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
"""

_PROBE = """import os, sys
try:
    open(sys.argv[2], "w").write("x")
except PermissionError:
    open("inside", "w").write("ok")
    sys.exit(0)
sys.exit(3)
"""


def confined_argv(code: str) -> list[str]:
    """``python -I`` running ``code`` under the Landlock bootstrap (cwd must be the scratch folder)."""
    return [sys.executable, "-I", "-c", BOOTSTRAP, code]


@functools.cache
def landlock_works() -> tuple[bool, str]:
    """(works, why): a probe must be refused a write outside its folder and allowed one inside."""
    if not sys.platform.startswith("linux"):
        return False, f"Landlock is Linux-only ({sys.platform})"
    try:
        import landlock

        abi = landlock.landlock_abi_version()
    except Exception as exc:  # no package, or a kernel without Landlock (ENOSYS/EOPNOTSUPP)
        return False, f"Landlock unavailable: {exc}"
    with tempfile.TemporaryDirectory() as inside, tempfile.TemporaryDirectory() as outside:
        target = Path(outside) / "escaped"
        try:
            r = subprocess.run([sys.executable, "-I", "-c", BOOTSTRAP, _PROBE, str(target)], cwd=inside, capture_output=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"Landlock probe failed to run: {exc}"
        if r.returncode == 0 and not target.exists() and (Path(inside) / "inside").exists():
            return True, f"Landlock ABI {abi}: writes only in the scratch folder"
        return False, f"Landlock probe did not confine writes (exit {r.returncode}): {r.stderr.decode(errors='replace')[-200:]}"
