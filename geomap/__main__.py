"""``python -m geomap``: the command line, as the ``geomap`` script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
