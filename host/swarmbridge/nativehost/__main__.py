"""``python -m swarmbridge.nativehost``: the same relay as the ``swarmbridge-host`` script."""

import sys

from .relay import main

sys.exit(main())
