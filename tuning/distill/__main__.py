"""`python -m tuning.distill`: the command is `main` in tuning/distill/__init__.py."""
import sys

from tuning.distill import main

sys.exit(main())
