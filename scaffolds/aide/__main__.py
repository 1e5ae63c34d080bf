"""`python -m scaffolds.aide`: run AIDE on a competition (see scaffolds/aide/cli.py)."""

import sys

from scaffolds.aide.cli import main

sys.exit(main())
