"""Opening a page from disk in headless Chromium (Debian's ``chromium``) and reading back what
happened: images loaded or not, errors, what was fetched.

A copy of the page gets a small script first in its ``<head>``: it records errors (script
errors, resources that failed, ``console.error``) and, once the page has loaded, writes the
findings into the DOM as JSON, which ``--dump-dom`` prints.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

CHECK_SCRIPT = """<script>(() => {
  const problems = [];
  const consoleError = console.error;
  console.error = (...args) => { problems.push("console.error: " + args.join(" "));
                                 consoleError.apply(console, args); };
  addEventListener("error", (e) => problems.push("error: " + (e.message ||
    (e.target && (e.target.src || e.target.href)) || e.type)), true);
  addEventListener("unhandledrejection", (e) => problems.push("rejection: " + e.reason));
  document.addEventListener("securitypolicyviolation",
                            (e) => problems.push("csp: " + e.blockedURI));
  addEventListener("load", () => {
    const found = document.createElement("pre");
    found.id = "chromium-check";
    found.textContent = JSON.stringify({
      problems,
      title: document.title,
      text: document.body.innerText,
      images: [...document.images].map(
        (i) => ({src: i.getAttribute("src"), width: i.naturalWidth})),
      boxes: [...document.querySelectorAll("article, table")].map((b) => b.offsetHeight),
      resources: performance.getEntriesByType("resource").map((r) => r.name),
    });
    document.body.append(found);
  });
})();</script>"""

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--virtual-time-budget=10000", "--enable-logging=stderr",
)  # fmt: skip
_FOUND = re.compile(r'<pre id="chromium-check">(.*?)</pre>', re.S)


def chromium() -> str:
    """The Chromium executable; a failure (never a skip) when it is missing."""
    found = shutil.which("chromium")
    if found is None:
        pytest.fail(
            "chromium is not installed, so the HTML report cannot be checked: `make test` "
            "installs it (apt-get install chromium, as root or with sudo); install it by hand "
            "if that failed"
        )
    return found


async def open_page(page: Path, profile: Path, *, timeout: float = 90) -> dict[str, Any]:
    """What Chromium saw opening ``page``; ``console`` holds the console lines it logged."""
    checked = page.with_name(f".check-{page.name}")
    checked.write_text(page.read_text().replace("<head>", "<head>" + CHECK_SCRIPT, 1))
    proc = await asyncio.create_subprocess_exec(
        chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", checked.as_uri(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail(f"chromium did not finish {page.name} within {timeout} s")
    finally:
        checked.unlink()
    dom, log = out.decode(errors="replace"), err.decode(errors="replace")
    found = _FOUND.search(dom)
    assert found, f"chromium printed no findings for {page.name} (exit {proc.returncode}):\n{log}"
    seen: dict[str, Any] = json.loads(html.unescape(found[1]))
    seen["console"] = [line for line in log.splitlines() if ":CONSOLE" in line]
    return seen
