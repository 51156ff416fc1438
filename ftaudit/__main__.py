"""`python -m ftaudit` is the `ftaudit` command."""

from ftaudit.cli import main

main()
