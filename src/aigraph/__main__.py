"""``python -m aigraph`` runs the command line."""

from .cli import main

main()
