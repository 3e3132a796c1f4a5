"""Entry point of a supervised task process: ``python -m neuroalg.atlas._child``."""

from .tasks import _child_main

if __name__ == "__main__":
    _child_main()
