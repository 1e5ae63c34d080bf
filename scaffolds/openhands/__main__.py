import sys

from scaffolds.openhands.cli import main

sys.exit(main())
