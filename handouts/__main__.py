"""``python -m handouts ...``: the same command line as generate.py."""

from .cli import main

if __name__ == "__main__":  # a worker process of `batch` imports this module too
    main()
