"""``python -m gateway.meters``: see :mod:`gateway.meters._cli`."""

import sys

from gateway.meters._cli import main

sys.exit(main())
