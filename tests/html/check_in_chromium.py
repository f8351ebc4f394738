#!/usr/bin/env python3
"""The HTML report in a real browser (ctest html.chromium, label browser).

    check_in_chromium.py ABMKPI           render the full Salesforce example and check it
    check_in_chromium.py --page FILE      only the browser checks, on any page (for debugging)

Renders the report with every table, --by segment and --compare previous into a temporary
folder, checks that the four charts are in it and that it refers to nothing outside itself,
then has headless Chromium take a screenshot of it. Fails when Chromium logs any console
message (the page has no script, so every message is a problem: a CSP violation, a resource
that could not load), when the screenshot is blank, or when the charts' colours are missing
from it. The PNG is decoded with zlib alone (no PIL). Exit 77 (ctest: skipped) without Chromium.
Set ABMKPI_KEEP=1 to keep the folder (the page, the screenshot, Chromium's log).
"""
import collections
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WIDTH, HEIGHT = 1280, 4000
CHARTS = ["funnel", "months", "win-rate", "churn"]
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Fills the charts draw with (svg.hpp): blue, orange, green, red.
CHART_COLOURS = {"blue": (0x4E, 0x79, 0xA7), "orange": (0xF2, 0x8E, 0x2B),
                 "green": (0x59, 0xA1, 0x4F), "red": (0xE1, 0x57, 0x59)}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check_page_text(html):
    """Every chart drawn once; nothing that could load or run anything."""
    for chart in CHARTS:
        n = html.count('<svg id="chart-%s"' % chart)
        if n != 1:
            fail("chart %s: %d <svg id=\"chart-%s\"> in the page, expected 1" % (chart, n, chart))
    if html.count("<svg") != len(CHARTS):
        fail("%d <svg> elements, expected %d" % (html.count("<svg"), len(CHARTS)))
    if "No data" in html:
        fail("a chart says \"No data\" on the full example")
    for banned in ("<script", "<link", "src=", "url(", "@import", "<iframe", "<object", "<embed"):
        if banned in html:
            fail("the page holds %r" % banned)
    urls = set(re.findall(r"https?://[^\"' <>]*", html))
    if urls != {SVG_NAMESPACE}:
        fail("URLs other than the SVG namespace: %s" % sorted(urls - {SVG_NAMESPACE}))
    print("page: %d bytes, charts %s, no script, link, src or external URL"
          % (len(html), ", ".join(CHARTS)))


def run_chromium(chromium, page, png, work):
    """Chromium 156 prints each console message on stderr as `...:INFO:CONSOLE:<line>] "text"`
    with --enable-logging=stderr (--v=1 adds ~10000 lines of noise and nothing needed here)."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    command = ["timeout", "-k", "10", "60", chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
               "--user-data-dir=" + profile, "--enable-logging=stderr",
               "--screenshot=" + png, "--window-size=%d,%d" % (WIDTH, HEIGHT), "file://" + page]
    print("running: " + " ".join(command))
    # A session of its own, so that whatever Chromium started can be ended with it.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", start_new_session=True)
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        fail("Chromium did not finish in 90 s")
    with open(os.path.join(work, "chromium.log"), "w") as log:
        log.write(out + err)
    if proc.returncode != 0:
        print(err[-3000:])
        fail("Chromium exited with status %d" % proc.returncode)
    markers = ("CONSOLE", "Content Security Policy", "Refused to", "ERR_")
    problems = [line for line in err.splitlines() if any(m in line for m in markers)]
    if problems:
        for line in problems:
            print("  " + line)
        fail("Chromium logged %d console message(s) or load error(s)" % len(problems))
    print("chromium: no console message, no CSP violation")


def decode_png(path):
    """(width, height, bytes per pixel, rows): 8-bit RGB or RGBA, not interlaced."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        fail("unexpected PNG format (depth %d, colour type %d, interlace %d)"
             % (depth, colour, interlace))
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    low = int.from_bytes(b"\x7f" * stride, "little")
    high = int.from_bytes(b"\x80" * stride, "little")
    rows, prev = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up: bytewise sums without carries, on whole rows as integers
            a, b = int.from_bytes(line, "little"), int.from_bytes(prev, "little")
            total = ((a & low) + (b & low)) ^ ((a ^ b) & high)
            line = bytearray(total.to_bytes(stride, "little"))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def check_screenshot(png):
    if not os.path.exists(png):
        fail("Chromium wrote no screenshot")
    width, height, bpp, rows = decode_png(png)
    if (width, height) != (WIDTH, HEIGHT):
        fail("screenshot is %dx%d, expected %dx%d" % (width, height, WIDTH, HEIGHT))
    colours = collections.Counter()
    for row in rows[::2]:  # every other pixel of every other row
        colours.update(row[i:i + 3] for i in range(0, len(row), 2 * bpp))
    total = sum(colours.values())
    top, top_count = colours.most_common(1)[0]
    share = top_count / total
    print("screenshot: %dx%d, %d distinct colours, the commonest #%s covers %.1f %%"
          % (width, height, len(colours), top.hex(), 100 * share))
    if len(colours) < 64 or share > 0.99:
        fail("the screenshot is blank or nearly so")
    for name, rgb in CHART_COLOURS.items():
        n = colours[bytes(rgb)]
        if n < 50:
            fail("the charts' %s (#%s) covers %d sampled pixels: a chart was not drawn"
                 % (name, bytes(rgb).hex(), n))
    print("screenshot: every chart colour is drawn (%s)"
          % ", ".join("%s %d" % (name, colours[bytes(rgb)]) for name, rgb in CHART_COLOURS.items()))


def main(argv):
    if len(argv) != 2 and not (len(argv) == 3 and argv[1] == "--page"):
        print(__doc__)
        return 64
    chromium = os.environ.get("ABMKPI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        print("SKIP: no Chromium (%s)" % chromium)
        return 77
    work = tempfile.mkdtemp(prefix="abmkpi-html-")
    try:
        if argv[1] == "--page":
            page = os.path.abspath(argv[2])
        else:
            page = os.path.join(work, "report.html")
            command = [argv[1], "report", "examples/salesforce-opportunities.csv",
                       "--accounts", "examples/salesforce-accounts.csv",
                       "--touches", "examples/salesforce-touches.csv",
                       "--spend", "examples/salesforce-spend.csv",
                       "--period", "2024", "--by", "segment", "--compare", "previous",
                       "--format", "html", "-o", page]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                print(done.stderr)
                fail("abmkpi exited with status %d" % done.returncode)
            with open(page, encoding="utf-8") as f:
                check_page_text(f.read())
        png = os.path.join(work, "screenshot.png")
        run_chromium(chromium, page, png, work)
        if argv[1] != "--page":
            check_screenshot(png)
        print("ok")
        return 0
    finally:
        if os.environ.get("ABMKPI_KEEP") == "1":
            print("kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
