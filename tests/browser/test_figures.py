"""Every figure loads, has alt text and a caption, fits a phone and reads in both schemes.
(That a page's notebook draws its figures is tested with the notebooks.)

A page shows each figure twice, a light and a dark SVG, and Material hides the one that
does not belong to the scheme. In each scheme exactly the right one must be visible and
loaded. Its colours are read from the SVG file itself and measured against the page's
background there: every line, mark and text at least 3:1 (WCAG's minimum for graphics),
the text colour (the default fill, as matplotlib leaves black text) at least 4.5:1.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browsing import ARTICLE, PHONE, shown
from site_server import FIGURE_IMAGE, figure_pages, page_file

SCHEMES = ["light", "dark"]
GRAPHICS, TEXT = 3.0, 4.5
MAX_BYTES = 60_000
STYLE = re.compile(r'style="([^"]*)"')
COLOUR = re.compile(r"(?:^|;)\s*(fill|stroke):\s*(#[0-9a-f]{6})")
DEFAULT_FILL = re.compile(r"svg\{fill:(#[0-9a-f]{6})\}")

# The figures of the page as the reader sees them: the visible image of each <figure>.
FIGURES = f"""() => [...document.querySelectorAll("{ARTICLE} figure")]
  .filter((figure) => figure.querySelector("img[src*='figures/']"))
  .map((figure) => {{
    const visible = [...figure.querySelectorAll("img")].filter((img) => img.offsetWidth > 0);
    const box = (e) => e.getBoundingClientRect();
    let e = figure, background = "rgba(0, 0, 0, 0)";
    for (; e && background.endsWith(", 0)"); e = e.parentElement)
      background = getComputedStyle(e).backgroundColor;
    return {{
      visible: visible.map((img) => ({{
        src: img.currentSrc, alt: img.alt.trim(), loaded: img.complete && img.naturalWidth > 0,
        right: box(img).right, width: box(img).width,
      }})),
      caption: figure.querySelector("figcaption")?.textContent.trim() ?? "",
      article: box(document.querySelector("{ARTICLE}")).width,
      screen: document.documentElement.clientWidth,
      background,
    }};
  }})"""


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def low_contrast(svg: str, background: tuple[float, ...]) -> list[str]:
    """The colours of the SVG that do not stand out enough from `background`."""
    low = []
    default = DEFAULT_FILL.search(svg)
    text = default[1] if default else "#000000"  # SVG's default fill: matplotlib's text
    if contrast(hex_rgb(text), background) < TEXT:
        low.append(f"text {text}: {contrast(hex_rgb(text), background):.2f}")
    for style in set(STYLE.findall(svg)):
        if re.search(r"opacity:\s*0\.", style):
            continue  # a translucent backdrop (a legend box), not something to read
        for part, colour in COLOUR.findall(style):
            ratio = contrast(hex_rgb(colour), background)
            if ratio < GRAPHICS:
                low.append(f"{part} {colour}: {ratio:.2f}")
    return sorted(set(low))


def test_the_guide_has_figures(site, pages):
    shown = figure_pages(site, pages)
    figures = sum(len(FIGURE_IMAGE.findall(page_file(site, p).read_text("utf-8"))) for p in shown)
    assert len(shown) >= 8, "figures are expected on at least 8 pages"
    assert figures >= 12, f"only {figures} figures found"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_figures_load_with_alt_text_and_caption_fit_and_read(request, site, page_path, scheme):
    """On the page's shared load in each scheme, at desktop width and, in the dark scheme,
    at a phone's (the light and dark SVGs of a figure have the same size)."""
    if not FIGURE_IMAGE.search(page_file(site, page_path).read_text("utf-8")):
        pytest.skip("no figure on this page")
    page = request.getfixturevalue(f"{scheme}_page")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load
    page.wait_for_load_state("networkidle")
    problems = figure_problems(site, page_path, scheme, page.evaluate(FIGURES))
    if scheme == "dark":
        narrowed = shown(page, "dark", PHONE)  # the next test's fixture widens it again
        phone = figure_problems(site, page_path, "dark", narrowed.evaluate(FIGURES))
        problems += [f"{problem} (phone)" for problem in phone]
    assert page.monitor.problems == []
    assert not problems, "\n".join(problems[:20])


def figure_problems(site: Path, page_path: str, scheme: str, figures: list[dict]) -> list[str]:
    problems = []
    for number, figure in enumerate(figures, 1):
        where = f"{page_path or 'home'} figure {number} ({scheme})"
        if len(figure["visible"]) != 1:
            problems.append(f"{where}: {len(figure['visible'])} images visible, not 1")
            continue
        image = figure["visible"][0]
        dark = ".dark.svg" in image["src"]
        if dark != (scheme == "dark"):
            problems.append(f"{where}: shows {image['src']} in the {scheme} scheme")
        if not image["loaded"]:
            problems.append(f"{where}: {image['src']} did not load")
        if not image["alt"] or not figure["caption"]:
            alt, caption = image["alt"], figure["caption"]
            problems.append(f"{where}: alt text {alt!r}, caption {caption!r}")
        if image["width"] > figure["article"] + 1 or image["right"] > figure["screen"] + 1:
            problems.append(f"{where}: {image['width']:.0f}px wide, past the page")
        svg = site / unquote(urlsplit(image["src"]).path).lstrip("/")
        if svg.stat().st_size > MAX_BYTES:
            problems.append(f"{where}: {svg.name} is {svg.stat().st_size} bytes")
        background = tuple(float(v) for v in re.findall(r"[\d.]+", figure["background"]))
        problems += [f"{where}: {low}" for low in low_contrast(svg.read_text(), background)]
    return problems
