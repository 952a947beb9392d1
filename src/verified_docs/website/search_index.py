"""The search index without the code and output blocks: what a reader searches is words.

MkDocs' search plugin indexes each section's HTML whole, code and output blocks too,
which made the index a third larger without finding anything the prose and headings do
not: an API name a page teaches is in its prose (`CrossEntropyLoss`, `zero_grad`). The
index is fetched when a reader opens search (docs/assets/search_on_demand.js).
"""

import json
import re
from pathlib import Path

BLOCK = re.compile(r"<pre\b.*?</pre>", re.DOTALL)


def compact_search_index(site_dir: str) -> None:
    """on_post_build: rewrite search/search_index.json without its <pre> blocks."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        doc["text"] = BLOCK.sub("", doc["text"])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
