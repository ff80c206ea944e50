"""Alias for one turn (issue 36 moved it): `python -m tuning.loop_students` is now `python -m tuning.loop`."""
import sys

from tuning.loop.students import main

if __name__ == "__main__":
    sys.exit(main())
