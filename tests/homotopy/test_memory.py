"""The allocator is configured once per process."""

import os
import sys

from neuroalg.homotopy.memory import configure_allocator


def test_allocator_configuration_is_idempotent():
    first = configure_allocator()
    assert configure_allocator() is first
    assert isinstance(first, bool)
    if sys.platform.startswith("linux") and not any(k.startswith("MALLOC_") for k in os.environ):
        assert first is True  # glibc's mallopt accepted both thresholds
