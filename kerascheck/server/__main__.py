"""`python -m kerascheck.server`: the same as `kerascheck server`."""

import sys

from kerascheck.server import main

sys.exit(main())
