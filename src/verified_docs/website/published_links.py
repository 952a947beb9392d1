"""Refuse to publish a built site that links to this machine.

MkDocs writes `site_url` into the sitemap and each page's canonical link; built with the
default address (`http://127.0.0.1:8000/`, for `nox -s serve`), the published site would
send readers and search engines to their own machine. `nox -s publish` runs this on the
tree it built:

    python -m verified_docs.website.published_links SITE_DIR
"""

import re
import sys
from collections.abc import Iterator
from pathlib import Path

LOCAL = r"(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])"
# An address in a link (href, src, content, a sitemap's <loc>), not in the text of a page:
# a page may well teach `master_addr=127.0.0.1`.
LOCAL_LINK = re.compile(
    rf"""(?:(?:href|src|content)\s*=\s*["']|<loc>)\s*(?:https?:)?//{LOCAL}[:/"'<]"""
)
CHECKED = ("*.html", "*.xml")


def local_links(site: Path) -> Iterator[str]:
    """`path: link` for each link of the built site at `site` to this machine."""
    for pattern in CHECKED:
        for path in sorted(site.rglob(pattern)):
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in LOCAL_LINK.finditer(text):
                yield f"{path.relative_to(site).as_posix()}: {match.group()}"


def main(arguments: list[str]) -> int:
    site = Path(arguments[0])
    found = list(local_links(site))
    for link in found:
        print(link)
    if found:
        print(
            f"{site}: {len(found)} links to this machine; build with the published address: "
            "SITE_URL=https://example.org/guide/ nox -s publish"
        )
        return 1
    print(f"{site}: no link to this machine")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
