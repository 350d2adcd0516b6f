"""Open explorer pages in headless Chromium (selenium) and read what happened.

Shared by the browser tests and ``benchmarks/bench_explorer.py``; needs the ``test`` extra
(selenium) and Debian's ``chromium`` + ``chromium-driver``.

Examples
--------
>>> chromium_missing() in (None,) or isinstance(chromium_missing(), str)
True
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: Flags that keep Chromium from phoning home, so any request seen comes from the page.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,900",
)


def chromium_missing() -> str | None:
    """Why the browser cannot run here (a sentence), or None when it can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is missing (apt-get install chromium chromium-driver fonts-noto-cjk)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium driver with browser and performance logs, in a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="aigraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@dataclass(frozen=True)
class PageLoad:
    """What opening a page gave: time to first draw (None when it never drew), errors, requests."""

    first_draw_s: float | None
    console_errors: tuple[str, ...]
    requests: tuple[str, ...]


def requested_urls(driver) -> list[str]:
    """URLs the page asked for since the last call (CDP ``Network.requestWillBeSent``)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver) -> list[str]:
    """Console messages at level SEVERE since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def open_page(driver, page: Path, ready_script: str, timeout_s: float = 30.0) -> PageLoad:
    """Open ``page`` and wait until ``ready_script`` (JS returning a number of ms since
    navigation start, or null) gives a value; at most ``timeout_s``."""
    driver.set_page_load_timeout(max(timeout_s, 60))
    driver.get("about:blank")
    # drain what the start page logged, so that what is read below comes from ``page`` only
    requested_urls(driver)
    console_errors(driver)
    started = time.perf_counter()
    driver.get(page.resolve().as_uri())
    from selenium.common.exceptions import TimeoutException

    first_draw = None
    while (left := timeout_s - (time.perf_counter() - started)) > 0:
        # a page busy laying out (pyvis's physics) answers no script until it is done
        driver.set_script_timeout(max(left, 0.1))
        try:
            value = driver.execute_script(ready_script)
        except TimeoutException:
            break
        if value is not None:
            first_draw = float(value) / 1000.0
            break
        time.sleep(0.05)
    return PageLoad(first_draw, tuple(console_errors(driver)), tuple(requested_urls(driver)))


#: Ready check of aigraph's explorer: the first ``afterDrawing`` of the network.
EXPLORER_READY = "return window.aigraphFirstDraw === undefined ? null : window.aigraphFirstDraw;"
#: Ready check of pyvis's default page: its network exists and the loading bar (shown while
#: physics stabilises) is gone; the time is when the poll saw it.
PYVIS_READY = (
    "if (typeof network === 'undefined' || !network) return null;"
    "var bar = document.getElementById('loadingBar');"
    "if (!bar || bar.style.opacity === '0' || bar.style.display === 'none') return performance.now();"
    "return null;"
)

#: Search in aigraph's explorer and wait for the redraw; gives the milliseconds it took.
EXPLORER_SEARCH = (
    "var done = arguments[arguments.length - 1]; var t0 = performance.now();"
    "window.aigraphNetwork.once('afterDrawing', function () { done(performance.now() - t0); });"
    "var found = window.aigraphSearch(arguments[0]);"
    "if (!found.length) { done(-1); } else { window.aigraphNetwork.redraw(); }"
)


def search_ms(driver, text: str) -> float | None:
    """Milliseconds from typing ``text`` in the explorer's search to the redrawn selection."""
    driver.set_script_timeout(30)
    value = driver.execute_async_script(EXPLORER_SEARCH, text)
    return None if value is None or value < 0 else float(value)
