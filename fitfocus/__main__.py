import sys

from fitfocus.cli import main

sys.exit(main())
