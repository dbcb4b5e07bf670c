"""The browser harness itself, in real headless Chromium.

Why: the HTML report's browser tests will trust this harness to notice script errors and network
use. If it silently missed them, those tests would pass on a broken report; so each kind of
problem is shown here to be caught, on a tiny page written for the purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_harness import BrowserUnavailableError, chromium_executable, open_page

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_page(tmp_path: Path, body: str, head: str = "") -> Path:
    """A minimal HTML5 document in tmp_path, as the report will be: one local file."""
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>probe</title>"
        f"{head}</head>\n<body>{body}</body></html>\n",
        encoding="utf-8",
    )
    return page


def test_console_errors_and_uncaught_exceptions_are_collected(tmp_path: Path) -> None:
    page = write_page(
        tmp_path,
        "<script>console.error('report broke: ' + 42); console.log('not an error');</script>"
        "<script>throw new TypeError('render failed');</script>"
        "<button onclick=\"Promise.reject(new Error('late failure'))\">Sort</button>",
    )
    with open_page(page) as probe:
        assert probe.console_errors == ["report broke: 42"]
        assert probe.page_errors == ["render failed"]
        assert probe.outside_requests == []
        with pytest.raises(AssertionError, match="report broke: 42"):
            probe.assert_clean()
        # An unhandled rejection is reported after its task: settle() waits for it.
        probe.page.click("text=Sort")
        probe.settle()
        assert probe.page_errors == ["render failed", "late failure"]


def test_click_changes_the_dom_and_screenshot_is_a_png(tmp_path: Path) -> None:
    page = write_page(
        tmp_path,
        "<p id='status'>collapsed</p>"
        "<button id='toggle' onclick=\"document.getElementById('status').textContent = "
        "'expanded'\">Show details</button>",
    )
    shot = tmp_path / "shot.png"
    with open_page(page) as probe:
        assert probe.page.text_content("#status") == "collapsed"
        probe.page.get_by_role("button", name="Show details").click()
        assert probe.page.text_content("#status") == "expanded"
        probe.page.screenshot(path=shot)
        probe.assert_clean()
    assert shot.read_bytes().startswith(PNG_SIGNATURE)


def test_outside_requests_are_recorded_and_blocked(tmp_path: Path) -> None:
    # The script's onerror changes the title: proof that the request failed, and the console
    # error names the reason, ERR_BLOCKED_BY_CLIENT (the harness aborted it, not the network).
    # The harness closes the WebSocket after recording it, so its onclose marks the body.
    page = write_page(
        tmp_path,
        "<p>offline?</p><script>new WebSocket('wss://example.com/live').onclose = "
        "() => { document.body.dataset.socket = 'closed'; };</script>",
        head="<script src='https://example.com/x.js' onerror=\"document.title='blocked'\">"
        "</script>",
    )
    with open_page(page) as probe:
        probe.page.wait_for_function("document.title === 'blocked'")
        assert "https://example.com/x.js" in probe.outside_requests
        assert any("ERR_BLOCKED_BY_CLIENT" in text for text in probe.console_errors)
        probe.page.wait_for_function("document.body.dataset.socket === 'closed'")
        assert "wss://example.com/live" in probe.outside_requests


def test_local_files_load(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("#x { color: rgb(1, 2, 3); }", encoding="utf-8")
    page = write_page(
        tmp_path, "<p id='x'>styled</p>", head="<link rel='stylesheet' href='style.css'>"
    )
    with open_page(page) as probe:
        color = probe.page.eval_on_selector("#x", "element => getComputedStyle(element).color")
        assert color == "rgb(1, 2, 3)"
        probe.assert_clean()


def test_missing_browser_is_an_error_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLELINT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(BrowserUnavailableError, match="install Debian's chromium package"):
        chromium_executable()
    monkeypatch.setenv("ROLELINT_REQUIRE_BROWSER", "1")
    with pytest.raises(BrowserUnavailableError), open_page(write_page(tmp_path, "")):
        pass


def test_missing_browser_skips_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLELINT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    monkeypatch.delenv("ROLELINT_REQUIRE_BROWSER", raising=False)
    page = write_page(tmp_path, "")
    with pytest.raises(pytest.skip.Exception, match="ROLELINT_REQUIRE_BROWSER=1"), open_page(page):
        pass
