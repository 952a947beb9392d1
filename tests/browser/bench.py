"""Speed and weight of the built site: `nox -s bench` (or `python tests/browser/bench.py`).

Prints figures; it passes or fails nothing. For the site named by $VERIFIED_DOCS_SITE (or
one built now with `mkdocs build --strict`), served as a static host serves it (gzip,
ten-minute caching, see site_server.py), in headless Chromium:

- the size of the built site, by kind of file;
- the size of our own script and styles (docs/assets/*.js, *.css), raw and gzipped,
  against the target of 10 KB compressed in all;
- for each page, the bytes the server sent on a first load with an empty cache (HTML,
  CSS, JS, fonts, images, other: sitemap, search index), on a second page view (this
  page opened after another page of the site, so shared files come from the cache),
  and the time to first render (first contentful paint) on the first load, against
  the target of 150 KB per guide page on a first load, its own figures aside (a
  notebook page carries its outputs and plots in its HTML, and may exceed it);
- whether each page reads without JavaScript (title, text and navigation present);
- Lighthouse's mobile scores (performance, accessibility) for the home page, a guide
  page with formulas and figures and a notebook page, when $LIGHTHOUSE names its
  program (`nox -s bench` installs the version tests/browser/lighthouse/ pins).
"""

import gzip
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright
from site_server import (
    CHROMIUM,
    ROOT,
    built_site,
    chromium,
    nav_pages,
    page_file,
    serve,
    site_pages,
)

OWN_ASSETS = ROOT / "docs" / "assets"
OWN_TARGET = 10 * 1024  # bytes, gzipped, our JS and CSS together
PAGE_TARGET = 150 * 1024  # bytes sent on a first load, the page's own figures aside
KINDS = ["html", "css", "js", "fonts", "images", "figures", "other"]
KIB = 1024


def kind_of(path: str, content_type: str) -> str:
    suffix = Path(path.split("?")[0]).suffix.lower()
    if content_type.startswith("text/html") or path.endswith("/"):
        return "html"
    if suffix == ".css":
        return "css"
    if suffix in (".js", ".mjs"):
        return "js"
    if suffix in (".woff", ".woff2", ".ttf", ".otf", ".eot"):
        return "fonts"
    if content_type.startswith("image/"):
        return "figures" if "/figures/" in path else "images"
    return "other"


def kb(size: float) -> str:
    return f"{size / KIB:7.1f}"


def site_size(site: Path) -> None:
    sizes: Counter = Counter()
    counts: Counter = Counter()
    for path in site.rglob("*"):
        if path.is_file():
            suffix = path.suffix.lower() or "(none)"
            sizes[suffix] += path.stat().st_size
            counts[suffix] += 1
    total = sum(sizes.values())
    print(f"Built site: {total / KIB / KIB:.2f} MiB in {sum(counts.values())} files")
    for suffix, size in sizes.most_common(8):
        print(f"  {suffix:8} {kb(size)} KiB in {counts[suffix]} files")
    notebooks = sizes[".ipynb"]
    if notebooks:
        print(f"  without the .ipynb downloads: {(total - notebooks) / KIB / KIB:.2f} MiB")


def own_assets() -> None:
    files = sorted(p for p in OWN_ASSETS.rglob("*") if p.suffix in (".js", ".css"))
    print("\nOur own script and styles (docs/assets), gzip -9:")
    total = 0
    for path in files:
        raw = path.read_bytes()
        packed = len(gzip.compress(raw, 9))
        total += packed
        print(f"  {path.relative_to(ROOT)!s:32} {len(raw):6} B raw {packed:6} B gzipped")
    verdict = "within" if total < OWN_TARGET else "OVER"
    print(f"  together: {total} B gzipped, {verdict} the {OWN_TARGET // KIB} KB target")


def sent(log: list, start: int) -> Counter:
    totals: Counter = Counter()
    for path, _status, size, content_type in log[start:]:
        totals[kind_of(path, content_type)] += size
    return totals


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(250)


def measure_pages(browser, server: str, log: list, pages: list[str], site: Path) -> list:
    rows = []
    for page_path in pages:
        context = browser.new_context()
        page = context.new_page()
        start = len(log)
        began = time.perf_counter()
        page.goto(server + page_path, wait_until="load")
        settle(page)
        first = sent(log, start)
        paint = page.evaluate(
            """() => { const e = performance.getEntriesByName("first-contentful-paint")[0];
                      return e ? e.startTime : null; }"""
        )
        context.close()
        context = browser.new_context()
        page = context.new_page()
        other = pages[1] if page_path == pages[0] and len(pages) > 1 else pages[0]
        page.goto(server + other, wait_until="load")
        settle(page)
        start = len(log)
        page.goto(server + page_path, wait_until="load")
        settle(page)
        second = sent(log, start)
        context.close()
        notebook = "jupyter-wrapper" in page_file(site, page_path).read_text(encoding="utf-8")
        rows.append((page_path, first, second, paint, notebook, time.perf_counter() - began))
    return rows


def print_pages(rows: list) -> None:
    print("\nPer page, KiB sent by the server (gzip where the browser accepts it):")
    header = "".join(f"{kind:>8}" for kind in KINDS)
    print(f"  {'page':34}{header}   first  second  first render")
    over = []
    for page_path, first, second, paint, notebook, _ in rows:
        total = sum(first.values())
        flag = ""
        if total - first["figures"] > PAGE_TARGET:
            flag = "  over 150 KB (notebook page)" if notebook else "  OVER 150 KB"
            over.append((page_path, notebook))
        columns = "".join(f"{first[kind] / KIB:8.1f}" for kind in KINDS)
        render = f"{paint:8.0f} ms" if paint is not None else "       n/a"
        name = (page_path or "(home)")[:34]
        print(f"  {name:34}{columns} {kb(total)} {kb(sum(second.values()))} {render}{flag}")
    firsts = [sum(row[1].values()) for row in rows]
    seconds = [sum(row[2].values()) for row in rows]
    paints = sorted(row[3] for row in rows if row[3] is not None)
    print(
        f"  first load: median {kb(sorted(firsts)[len(firsts) // 2])} KiB, "
        f"largest {kb(max(firsts))} KiB; second view: median "
        f"{kb(sorted(seconds)[len(seconds) // 2])} KiB"
    )
    if paints:
        print(
            f"  first render: median {paints[len(paints) // 2]:.0f} ms, "
            f"slowest {paints[-1]:.0f} ms (headless Chromium, local server)"
        )
    plain = [page for page, notebook in over if not notebook]
    print(
        f"  pages over 150 KB on first load, figures aside: {len(over)} "
        f"({len(over) - len(plain)} notebook pages, {len(plain)} others: {plain})"
    )


def without_javascript(browser, server: str, pages: list[str]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    usable = []
    for page_path in pages:
        page.goto(server + page_path, wait_until="load")
        ok = (
            page.locator("article h1").count() == 1
            and len(page.locator("article").inner_text()) > 100
            and page.locator(".md-nav--primary a[href]").count() >= 3
        )
        usable.append(ok)
    context.close()
    failing = [p for p, ok in zip(pages, usable, strict=True) if not ok]
    print(
        f"\nWithout JavaScript: {sum(usable)} of {len(pages)} pages show their title, text "
        f"and navigation{'; not: ' + str(failing) if failing else ''}"
    )


def main() -> int:
    with built_site() as site:
        site_size(site)
        own_assets()
        pages = nav_pages(site)
        pages += [page for page in site_pages(site) if page not in pages]
        with (
            serve(site) as (server, log),
            sync_playwright() as playwright,
            chromium(playwright) as browser,
        ):
            rows = measure_pages(browser, server, log, pages, site)
            print_pages(rows)
            without_javascript(browser, server, pages)
            if os.environ.get("LIGHTHOUSE"):
                lighthouse(os.environ["LIGHTHOUSE"], server)
    return 0


LIGHTHOUSE_PAGES = ["", "losses/regression/", "training-loop/digits-notebook/"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def lighthouse(program: str, server: str) -> None:
    """Lighthouse's mobile run (its default: a mid-range phone on a slow 4G network)."""
    print("\nLighthouse, mobile, served as a static host serves (gzip, ten-minute caching):")
    for page_path in LIGHTHOUSE_PAGES:
        command = [program, server + page_path, "--quiet", "--output=json"]
        command += ["--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
        done = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}
        )
        if done.returncode != 0:
            print(f"  {page_path or '(home)'}: Lighthouse failed: {done.stderr.strip()[-300:]}")
            continue
        report = json.loads(done.stdout)
        scores = {name: round(100 * c["score"]) for name, c in report["categories"].items()}
        audits = report["audits"]
        print(
            f"  {page_path or '(home)':34} performance {scores['performance']:3d}, "
            f"accessibility {scores['accessibility']:3d}; largest contentful paint "
            f"{audits['largest-contentful-paint']['displayValue']}, "
            f"{audits['total-byte-weight']['displayValue']}"
        )


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
