"""``python -m digestkit``: the command-line interface."""

import sys

from digestkit.cli import main

sys.exit(main())
