"""`python -m kerascheck`.

Python puts the current folder first on `sys.path` for `-m`, so a `json.py` or `click.py` lying in
an untrusted folder kerascheck is asked to check would be imported, and run, by kerascheck itself.
Drop that entry before importing anything else (what Python 3.11's `-P` does).
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()) and not sys.flags.safe_path:
    del sys.path[0]

from kerascheck.cli import main  # noqa: E402

main(prog_name="kerascheck")
