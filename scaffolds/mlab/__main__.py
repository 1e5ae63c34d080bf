"""`python -m scaffolds.mlab`: run MLAB on a competition (see scaffolds/mlab/cli.py)."""

import sys

from scaffolds.mlab.cli import main

sys.exit(main())
