"""`python -m tuning.loop keep | train | export | report`: the command is `main` in tuning/loop/students.py."""
import sys

from tuning.loop.students import main

sys.exit(main())
