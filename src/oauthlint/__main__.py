"""``python -m oauthlint``."""

from oauthlint.cli import main

main()
