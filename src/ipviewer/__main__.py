"""``python -m ipviewer`` runs the command line."""

from .cli import main

main()
