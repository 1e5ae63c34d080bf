"""`python -m scaffolds.mlab` (a placeholder; see scaffolds/mlab/cli.py)."""

import sys

from scaffolds.mlab.cli import main

sys.exit(main())
