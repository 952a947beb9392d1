"""The search index keeps a section's words and drops its code and output blocks."""

import json

from verified_docs.website.search_index import compact_search_index


def test_code_and_output_blocks_leave_the_index_and_prose_stays(tmp_path):
    (tmp_path / "search").mkdir()
    text = (
        "<p>Use <code>CrossEntropyLoss</code> on logits.</p>"
        '<div class="highlight"><pre><span></span><code>loss = nn.CrossEntropyLoss()\n'
        "</code></pre></div><p>It prints one number.</p>"
    )
    index = {"config": {"lang": ["en"]}, "docs": [{"location": "a/", "title": "A", "text": text}]}
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index))
    compact_search_index(str(tmp_path))
    [doc] = json.loads((tmp_path / "search" / "search_index.json").read_text())["docs"]
    assert doc["text"] == (
        '<p>Use <code>CrossEntropyLoss</code> on logits.</p><div class="highlight"></div>'
        "<p>It prints one number.</p>"
    )
    assert (doc["location"], doc["title"]) == ("a/", "A")
