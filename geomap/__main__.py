"""``python -m geomap``: the command line, as the ``geomap`` script."""

from .cli import main

if __name__ == "__main__":
    main()
