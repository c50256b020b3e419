"""Run a lesson's code (core/code/) as a learner would, in a fresh Python process, and read back the
variables that hold what its page shows."""

import json
import os
import re
import subprocess
import sys

TRAILER = """

import json as _json
import numpy as _np
print("RESULTS=" + _json.dumps({_name: _np.asarray(globals()[_name]).tolist() for _name in %r}))
"""


def run(listing, cwd, timeout=600, env=None, extra=""):
    """Execute the listing's script in `cwd`, then `extra` lines (more results to read), and return
    {result name: value (lists for arrays)}; `extra` may define more names to return."""
    path = os.path.join(cwd, f"{listing.file_stem}.py")
    with open(path, "w") as file:
        names = (*listing.results, *re.findall(r"^(\w+) =", extra, re.MULTILINE))
        file.write(listing.script() + extra + TRAILER % (names,))
    done = subprocess.run(
        [sys.executable, path],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULTS="))
    return json.loads(line[len("RESULTS=") :])
