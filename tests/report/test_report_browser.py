"""report.html as a reader sees it: headless Chromium renders the devnet report on a desktop and a phone.

Checks that the page paints (a screenshot with many colours), logs nothing to the console (the report has no
scripts, so any console line is a blocked resource or an error), shows both charts at a usable size, and
never scrolls sideways on a phone: wide tables scroll inside their own box.

Layout is measured by a small probe script appended to a copy of the page (the report's Content-Security-Policy
forbids scripts; the copy only adds `script-src 'unsafe-inline'`, so any other blocked resource still shows on
the console). The probe logs its measurements to the console on load and on every resize: headless Chromium
lays a page out at least 500 px wide and narrows it to the requested window just before the screenshot, so
the last measurement is the one at the screenshot's size.

Needs Debian's chromium at /usr/bin/chromium (`.ci/install-chromium` installs it).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib import image

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_SECONDS = 120
DESKTOP = (1280, 2000)
PHONE = (390, 1600)
# The first screen of each: a 1280 x 800 laptop window and a 390 x 844 phone. The "at a glance" block (total,
# trend, top entities, GPUs) must end above it; the whole demo week must read in under 6,000 px on a desktop.
FIRST_SCREEN = {"desktop": 800, "phone": 844}
DESKTOP_PAGE_MAX = 6000
CSP_SCRIPT_FREE = "default-src 'none';"
CONSOLE_LINE = re.compile(r":CONSOLE[:(]|Uncaught")
PROBE_TAG = "layout-probe "
PROBE_LINE = re.compile(rf'"{PROBE_TAG}(\{{.*\}})", source: ')
PROBE = """<script>
(function () {
  function measure() {
    var root = document.documentElement;
    function beyond(e) { return e.getBoundingClientRect().right > root.clientWidth + 0.5; }
    var outside = Array.prototype.filter.call(document.body.querySelectorAll("*"), function (e) {
      var box = e.parentElement && e.parentElement.closest(".scroll");  // scrolls its content itself
      return beyond(e) && (!box || beyond(box) || getComputedStyle(box).overflowX === "visible");
    }).map(function (e) { return e.tagName.toLowerCase() + "." + (e.getAttribute("class") || ""); });
    var charts = Array.prototype.map.call(document.querySelectorAll("figure svg"), function (s) {
      var r = s.getBoundingClientRect();
      return {width: r.width, height: r.height, marks: s.querySelectorAll("path, use").length};
    });
    console.log("__TAG__" + JSON.stringify({
      viewport: root.clientWidth, scrollWidth: root.scrollWidth, outside: outside.slice(0, 20), charts: charts,
      svgs: document.querySelectorAll("svg").length, tables: document.querySelectorAll("table").length,
      height: root.scrollHeight, glanceBottom: document.getElementById("glance").getBoundingClientRect().bottom,
      clipped: Array.prototype.filter.call(document.querySelectorAll(".scroll"), function (b) {
        return b.scrollWidth > b.clientWidth + 0.5; }).map(function (b) {
        return b.closest("section").id + ": " + b.querySelector("th").parentElement.textContent.slice(0, 60); }),
      sections: Array.prototype.map.call(document.querySelectorAll("section"), function (e) {
        return [e.id, Math.round(e.getBoundingClientRect().height)]; })}));
  }
  window.addEventListener("load", measure);
  window.addEventListener("resize", measure);
})();
</script>
""".replace("__TAG__", PROBE_TAG)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run .ci/install-chromium (CI installs it)"
)


@dataclass(frozen=True)
class Rendering:
    """One headless run: the screenshot, console lines other than the probe's, the probe's last measurement."""

    png: Path
    console: list[str]
    layout: dict[str, Any]


def probed_copy(page: Path, name: str) -> Path:
    """The page with the layout probe appended and inline scripts allowed, beside the original."""
    html = page.read_text(encoding="utf-8")
    assert html.count(CSP_SCRIPT_FREE) == 1 and html.count("</body>") == 1
    probed = page.with_name(f".probe-{name}.html")
    probed.write_text(
        html.replace(CSP_SCRIPT_FREE, CSP_SCRIPT_FREE + " script-src 'unsafe-inline';")
        .replace("</body>", PROBE + "</body>"),
        encoding="utf-8",
    )
    return probed


def render(page: Path, size: tuple[int, int], tmp_path: Path, name: str) -> Rendering:
    """Screenshots the probed page offline (no network, sync, updates or first-run UI) and reads the console."""
    probed, png = probed_copy(page, name), tmp_path / f"{name}.png"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={size[0]},{size[1]}",
        "--enable-logging=stderr", "--v=0", f"--screenshot={png}", probed.as_uri(),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    finally:
        probed.unlink()
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr[-3000:]}"
    lines = [line for line in result.stderr.splitlines() if CONSOLE_LINE.search(line)]
    probes = [m.group(1) for m in map(PROBE_LINE.search, lines) if m]
    assert probes, "the layout probe did not run:\n" + "\n".join(lines)
    layout: dict[str, Any] = json.loads(probes[-1].replace('\\"', '"'))
    return Rendering(png, [line for line in lines if PROBE_TAG not in line], layout)


def assert_painted(png: Path, size: tuple[int, int]) -> None:
    """The screenshot has the window's size, is mostly but not only white, and has the charts' many colours."""
    pixels = np.asarray(image.imread(str(png)))
    assert pixels.shape[:2] == (size[1], size[0])
    rgb = (pixels[..., :3] * 255).round().astype(np.uint32).reshape(-1, 3)
    colours = len(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]))  # 1-D: far faster than axis=0
    inked = float(np.mean(np.any(rgb < 230, axis=1)))
    assert colours > 100, f"only {colours} distinct colours: the page looks blank"
    assert 0.02 < inked < 0.6, f"{inked:.0%} of the pixels are not white"


@pytest.fixture(scope="module")
def page(devnet_report: Path) -> Path:
    return devnet_report / "report.html"


@pytest.mark.parametrize(("name", "size"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_report_renders_with_charts_and_no_console_messages(
    page: Path, tmp_path: Path, name: str, size: tuple[int, int]
) -> None:
    rendering = render(page, size, tmp_path, name)
    assert rendering.console == []
    assert_painted(rendering.png, size)
    layout = rendering.layout
    assert (layout["svgs"], len(layout["charts"])) == (3, 2) and layout["tables"] >= 10   # + the sparkline
    viewport = layout["viewport"]
    assert viewport == size[0]
    assert layout["scrollWidth"] <= viewport, f"the page scrolls sideways: {layout['outside']}"
    assert layout["outside"] == []
    assert layout["glanceBottom"] <= FIRST_SCREEN[name], layout["glanceBottom"]
    if name == "desktop":
        assert layout["height"] < DESKTOP_PAGE_MAX, layout["sections"]
        key = [c for c in layout["clipped"] if c.split(":")[0] in ("headline", "breakdown", "top-entities")]
        assert key == [], f"tables that scroll sideways at {size[0]} px: {key}"
    for chart in layout["charts"]:
        assert min(300, viewport - 40) <= chart["width"] <= viewport and chart["height"] > 150, chart
        assert chart["marks"] > 50, chart  # bars, axes and ticks were drawn


def test_css_keeps_wide_content_inside_the_page(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert ".scroll { overflow-x: auto;" in html
    assert "svg, img, table { max-width: 100%; }" in html
    assert "@media print" in html and "@media (max-width: 40rem)" in html
    tables = html.count("<table>")
    assert tables >= 10 and html.count('<div class="scroll"><table>') == tables
