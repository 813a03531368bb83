"""``python -m handouts ...``: the same command line as generate.py."""

from .cli import main

main()
