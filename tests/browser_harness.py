"""Open a local HTML file in a real headless Chromium, for tests.

Why this exists: the HTML report (`rolelint report --output report.html`) is meant to be one
self-contained file that works offline. Checking its text is not enough: only a real browser shows
whether its script throws, whether its buttons work, and whether it tries to load anything from
the network. This module gives tests one small entry point, `open_page`, that does that in
Debian's Chromium driven by Playwright.

Why Debian's Chromium and not Playwright's own browser: `playwright install` downloads a browser,
and downloads fail on the closed network this project is tested on. Playwright drives any recent
Chromium given by path, so the path comes from `ROLELINT_CHROMIUM`, else `/usr/bin/chromium`
(Debian package `chromium`; `.ci/run` installs it).

A missing browser skips the browser tests, saying why and how to install it, so the README's
test command passes on a fresh machine; CI sets ``ROLELINT_REQUIRE_BROWSER=1`` (``.ci/run``
installs Chromium first), and there a missing browser is an error: a browser test that skipped in
CI would let a broken report pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    ConsoleMessage,
    Page,
    Route,
    WebError,
    WebSocketRoute,
    sync_playwright,
)

CHROMIUM_ENV = "ROLELINT_CHROMIUM"
REQUIRE_ENV = "ROLELINT_REQUIRE_BROWSER"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")

# Headless, and running as root (no sandbox) without a GPU. The rest stop Chromium's own
# background traffic (updates, sync, safe-browsing lists, QUIC probes): on a closed network those
# connections are refused, many at a time, and they are noise we must not mistake for the page's.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# URL schemes that never leave the machine. `blob:` is memory the page created itself (such as a
# "download as JSON" link); everything else (http, https, ws, wss, ftp...) is recorded and blocked.
LOCAL_SCHEMES: tuple[str, ...] = ("file:", "data:", "about:", "blob:")

DEFAULT_TIMEOUT_MS = 10_000.0


class BrowserUnavailableError(RuntimeError):
    """The test environment has no usable Chromium: install it, don't skip the test."""


@dataclass
class PageProbe:
    """A loaded page and what went wrong in it so far.

    `page` is the Playwright page: query the DOM, click, take screenshots with it. The lists keep
    filling while the page stays open, so read them after the interaction under test (and after
    `settle()`).
    """

    page: Page
    console_errors: list[str] = field(default_factory=list)
    """Text of each `console.error` (and of Chromium's own errors, such as a failed load)."""
    page_errors: list[str] = field(default_factory=list)
    """Each uncaught exception or unhandled rejection in the page's script."""
    outside_requests: list[str] = field(default_factory=list)
    """URL of each request (WebSockets included) that tried to leave the machine; all blocked."""

    def settle(self) -> None:
        """Let the page finish the task under way, so its late errors are collected.

        Chromium reports an unhandled promise rejection only after the task that made it, so
        right after a click (or the `load` event) it may not be in `page_errors` yet. A round
        trip through a zero-delay timer in the page lets it arrive. Call this after an
        interaction and before reading the lists; `open_page` calls it once after loading.
        """
        self.page.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")

    def problems(self) -> list[str]:
        """Everything collected, one line each, labelled: empty for a healthy page."""
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"page error: {text}" for text in self.page_errors),
            *(f"outside request (blocked): {url}" for url in self.outside_requests),
        ]

    def assert_clean(self) -> None:
        """Fail with every problem listed, so one failing run tells the whole story."""
        problems = self.problems()
        if problems:
            raise AssertionError("the page is not clean:\n  " + "\n  ".join(problems))


def chromium_executable() -> Path:
    """The Chromium to drive: `$ROLELINT_CHROMIUM`, else Debian's `/usr/bin/chromium`.

    Raises BrowserUnavailableError, saying how to fix it, when that file is not an executable.
    """
    configured = os.environ.get(CHROMIUM_ENV)
    path = Path(configured) if configured else DEFAULT_CHROMIUM
    source = f"${CHROMIUM_ENV}" if configured else "the default path"
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise BrowserUnavailableError(
            f"no Chromium executable at {path} ({source}). The browser tests need a real "
            "Chromium: install Debian's chromium package (`apt-get install -y chromium`, as "
            f"root), or set {CHROMIUM_ENV} to a Chromium executable. `playwright install` "
            "does not work here: it downloads a browser."
        )
    return path


def usable_chromium() -> Path:
    """:func:`chromium_executable`, or skip the calling test when there is none, unless
    ``$ROLELINT_REQUIRE_BROWSER`` is set (as in CI): then the error stands."""
    try:
        return chromium_executable()
    except BrowserUnavailableError as error:
        if os.environ.get(REQUIRE_ENV):
            raise
        pytest.skip(f"{error} (CI sets {REQUIRE_ENV}=1, which makes this an error)")


def _is_local(url: str) -> bool:
    return url.startswith(LOCAL_SCHEMES)


@contextmanager
def open_page(path: Path, *, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> Iterator[PageProbe]:
    """Open the local file `path` in headless Chromium and yield a PageProbe for it.

    Listeners and network blocking are in place before the page starts loading, so errors thrown
    while it loads are caught too. The page has finished its `load` event, and settled, when this
    yields. Every
    Playwright wait in the page times out after `timeout_ms`, so a broken page fails the test fast
    instead of hanging it. The browser is closed on exit, also when the test fails.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no HTML file to open at {path}")
    executable = usable_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            context = browser.new_context()
            context.set_default_timeout(timeout_ms)
            page = context.new_page()
            probe = PageProbe(page=page)

            def on_console(message: ConsoleMessage) -> None:
                if message.type == "error":
                    probe.console_errors.append(message.text)

            def on_web_error(error: WebError) -> None:
                probe.page_errors.append(str(error.error))

            def on_route(route: Route) -> None:
                url = route.request.url
                if _is_local(url):
                    route.continue_()
                else:
                    probe.outside_requests.append(url)
                    route.abort("blockedbyclient")

            def on_web_socket(socket: WebSocketRoute) -> None:
                # WebSockets bypass `route`; never connecting them to the server blocks them.
                probe.outside_requests.append(socket.url)
                socket.close()

            # On the context, not the page, so that a popup the page opens is watched too.
            context.on("console", on_console)
            context.on("weberror", on_web_error)
            context.route("**/*", on_route)
            context.route_web_socket("**/*", on_web_socket)

            page.goto(path.resolve().as_uri(), wait_until="load")
            probe.settle()
            yield probe
        finally:
            browser.close()
