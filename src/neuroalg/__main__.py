"""``python -m neuroalg`` runs the command line."""

from .cli import main

main()
