"""Alias for one turn (issue 36 moved it): `python -m tuning.compare` is now `python -m tuning.adapters.compare`."""
import sys

from tuning.adapters.compare import main

if __name__ == "__main__":
    sys.exit(main())
