"""A matplotlib figure as a reproducible SVG, compared with a committed one, and its dark twin.

The SVG holds no date, its ids come from a fixed salt, and its text is drawn as paths
(the fonts matplotlib ships), so the same drawing gives the same file on every machine.
Only the last digits of coordinates may differ where PyTorch's CPU kernels round
differently: the comparison lets a number move by a hundredth of a point, far below
what anyone can see, and nothing else.
"""

import io
import re

SALT = "verified-docs"
MAX_BYTES = 60_000
TOLERANCE = 0.01  # in SVG points
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.])")
# matplotlib names clip paths and markers by a hash of their coordinates, which moves
# with the last digits; the file numbers them in order instead.
HASHED_ID = re.compile(r'\bid="(?P<id>(?P<kind>[a-z])[0-9a-f]{10})"')
GREY = re.compile(r"#([0-9a-f]{2})\1\1\b")
DARK_TEXT = "svg{fill:#ffffff}"  # matplotlib leaves black text without a fill


def figure_svg(figure) -> bytes:
    """The figure as the page shows it: SVG with a transparent background."""
    import matplotlib  # here, not above: a run whose pages draw nothing never loads it
    from matplotlib.lines import Line2D

    # Simplifying a line drops points by a threshold that the last digits of the data
    # can cross on one CPU and not another: the SVG keeps every point plotted.
    for line in figure.findobj(Line2D):
        line.get_path().should_simplify = False
    buffer = io.BytesIO()
    settings = {"svg.hashsalt": SALT, "svg.fonttype": "path"}
    with matplotlib.rc_context(settings):
        figure.savefig(
            buffer,
            format="svg",
            transparent=True,
            bbox_inches="tight",
            pad_inches=0.05,
            metadata={"Date": None},
        )
    return _numbered_ids(buffer.getvalue().decode("utf-8")).encode("utf-8")


def _numbered_ids(svg: str) -> str:
    for number, match in enumerate(HASHED_ID.finditer(svg), 1):
        svg = re.sub(rf"\b{match['id']}\b", f"{match['kind']}{number}", svg)
    return svg


def drawing_difference(committed: bytes, drawn: bytes) -> str | None:
    """None when both SVGs draw the same, else the first line where they differ."""
    old, new = committed.decode("utf-8").splitlines(), drawn.decode("utf-8").splitlines()
    for number, (was, now) in enumerate(zip(old, new, strict=False), 1):
        if not _same_line(was, now):
            return f"line {number} of the SVG differs:\n  was: {was.strip()}\n  now: {now.strip()}"
    if len(old) != len(new):
        return f"the SVG had {len(old)} lines and now has {len(new)}"
    return None


def _same_line(was: str, now: str) -> bool:
    if was == now:
        return True
    if NUMBER.split(was) != NUMBER.split(now):
        return False
    pairs = zip(NUMBER.findall(was), NUMBER.findall(now), strict=True)
    return all(abs(float(a) - float(b)) <= TOLERANCE for a, b in pairs)


def dark_variant(svg: bytes) -> bytes:
    """The figure for the dark scheme: every grey inverted (black text turns white, a
    white legend box dark); colours stay as drawn, so each must read on both backgrounds."""
    text = GREY.sub(lambda m: "#" + f"{255 - int(m[1], 16):02x}" * 3, svg.decode("utf-8"))
    text = text.replace('<style type="text/css">', f'<style type="text/css">{DARK_TEXT}', 1)
    return text.encode("utf-8")
