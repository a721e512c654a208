import sys

from rukp.cli import main

sys.exit(main())
