"""Finding the Chromium that snapshots are rendered with, and the flags it is started with.

Playwright's own browser download is never used: an installed Chromium
(Debian's ``chromium``) is found on PATH, through ``BORDERMAP_CHROMIUM`` or
given explicitly; :mod:`bordermap.snapshot` starts it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bordermap.errors import BrowserError

__all__ = ["BROWSER_NAMES", "CHROMIUM_ARGS", "INSTALL_HINT", "LAUNCH_TIMEOUT_S", "find_browser"]

#: Executable names looked up on PATH, in this order.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")

#: Flags for a quiet, offline-safe headless Chromium (no sandbox: containers
#: usually lack the user namespaces it needs; no QUIC: it stalls on some proxies).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--headless",
)

#: How long Chromium may take to start, whatever the per-map ``timeout_s``.
LAUNCH_TIMEOUT_S = 60.0

#: What to do when no Chromium is found (ends every such error).
INSTALL_HINT = (
    "install Debian's chromium (apt-get install chromium) or pass --browser PATH / "
    "set BORDERMAP_CHROMIUM"
)


def _executable(candidate: str) -> str | None:
    """``candidate`` as an executable file path, looked up on PATH if it is a bare name."""
    if os.sep in candidate or (os.altsep and os.altsep in candidate):
        path = Path(candidate).expanduser()
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return shutil.which(candidate)


def find_browser(explicit: str | None = None) -> str:
    """Return the Chromium executable to use.

    Looks at ``explicit`` (a path or a name on PATH), then the environment
    variable ``BORDERMAP_CHROMIUM``, then :data:`BROWSER_NAMES` on PATH.  An
    explicit choice that does not exist is an error, not a reason to try the
    next one: silently using another browser would hide a typo.

    Raises
    ------
    BrowserError
        If no executable is found; the one-line message says how to get one.

    Examples
    --------
    >>> find_browser("/usr/bin/chromium")                    # doctest: +SKIP
    '/usr/bin/chromium'
    """
    if explicit:
        found = _executable(explicit)
        if found is None:
            raise BrowserError(f"no Chromium at {explicit}: {INSTALL_HINT}")
        return found
    configured = os.environ.get("BORDERMAP_CHROMIUM")
    if configured:
        found = _executable(configured)
        if found is None:
            raise BrowserError(
                f"no Chromium at {configured} (from BORDERMAP_CHROMIUM): {INSTALL_HINT}"
            )
        return found
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError(f"no Chromium found: {INSTALL_HINT}")
