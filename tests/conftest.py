"""Shared fixtures: a real headless Chromium driven through Playwright.

Playwright's own browser download is not used; tests launch an installed
Chromium found via ``BORDERMAP_CHROMIUM`` or on ``PATH``.  Browser tests are
skipped only when no such executable exists.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bordermap.snapshot import CHROMIUM_ARGS

READY_TIMEOUT_MS = 20_000

OpenMap = Callable[..., tuple[Any, list[str], list[str]]]


def find_chromium() -> str | None:
    """The Chromium the library would use (``$BORDERMAP_CHROMIUM``, then PATH), or None."""
    from bordermap.errors import BrowserError
    from bordermap.snapshot import find_browser

    try:
        return find_browser()
    except BrowserError:
        return None


@pytest.fixture(scope="session")
def gazetteer() -> Any:
    """The merged gazetteer index (built once per data version, then cached)."""
    from bordermap.gazetteer import load_gazetteer

    return load_gazetteer()


# Module scope: Playwright's sync API allows one driver per thread at a time, and
# the snapshot tests start their own (through the library) in their module.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (sync Playwright API)."""
    executable = find_chromium()
    if executable is None:
        message = "no Chromium executable (set BORDERMAP_CHROMIUM or install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run the browser tests, not skip them")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_map(browser: Any) -> Iterator[OpenMap]:
    """Open a map file and wait until it reports readiness.

    Call as ``page, errors, requests = open_map(path)``.  ``errors`` collects
    console errors, uncaught exceptions and any JavaScript dialog (dialogs are
    dismissed: a map never opens one, so one means injected code ran).
    ``requests`` lists every URL the page requested, the page itself included.
    http(s) requests are recorded and then aborted so tests never touch the
    internet.  Pass ``wait_ready=False`` to skip waiting for readiness.
    """
    contexts: list[Any] = []

    def _open(
        html_path: str | os.PathLike[str],
        *,
        wait_ready: bool = True,
        viewport: tuple[int, int] = (1200, 800),
    ) -> tuple[Any, list[str], list[str]]:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        context.route("http://**/*", lambda route: route.abort())
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []

        def on_console(message: Any) -> None:
            if message.type == "error":
                errors.append(f"console: {message.text}")

        def on_dialog(dialog: Any) -> None:
            errors.append(f"dialog {dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("dialog", on_dialog)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(Path(html_path).resolve().as_uri())
        if wait_ready:
            # The readiness attribute, not wait_for_function: that needs eval,
            # which the maps' Content-Security-Policy forbids (a racy failure).
            page.wait_for_selector(
                "html[data-ready='1']", state="attached", timeout=READY_TIMEOUT_MS
            )
        return page, errors, requests

    yield _open
    for context in contexts:
        context.close()


# The default project and one comparison of it, shared by the compare,
# geometry and layer-reference tests (built once per module).


@pytest.fixture(scope="module")
def shooter() -> Iterator[Any]:
    """One snapshotting browser for a module's library-level snapshot tests."""
    from bordermap.errors import BrowserError
    from bordermap.snapshot import Snapshotter, find_browser

    try:
        find_browser(None)
    except BrowserError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}: CI must run the browser tests, not skip them")
        pytest.skip(str(exc))
    with Snapshotter(timeout_s=60) as s:
        yield s


@pytest.fixture(scope="module")
def project() -> Any:
    from bordermap.project import Project

    return Project.load(Path(__file__).resolve().parents[1] / "bordermap.toml")


@pytest.fixture(scope="module")
def upgrades_vs_checkpoints(project: Any) -> Any:
    from bordermap.compare import compare
    from bordermap.layer_refs import load_layer

    return compare(load_layer("upgrades", project), load_layer("checkpoints", project))
