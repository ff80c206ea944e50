import sys

from irg.bench.cli import main

sys.exit(main())
