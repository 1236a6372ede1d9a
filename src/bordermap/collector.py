"""Python's cyclic garbage collector paused while a build makes objects in bulk.

A large build holds millions of small objects (the corpus's mentions) and
makes hundreds of thousands more at a time (layers' entries, pages' rows,
cached mentions).  Each collection those allocations set off walks every
object alive, so with the collector running a quarter or more of those
stages went into collections that find nothing: the objects hold strings and
numbers, not cycles.  Reference counting still frees whatever is dropped;
what is left in cycles (folium's page elements) is collected once the
collector runs again.

>>> with paused_gc():          # doctest: +SKIP
...     layers = make_layers(...)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside; the collector's state as it was after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
