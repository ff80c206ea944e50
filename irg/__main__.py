"""`python -m irg`: the command line (irg/views/cli.py)."""
import sys

from irg.views.cli import main

sys.exit(main())
