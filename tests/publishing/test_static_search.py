import json
from datetime import UTC, datetime

from publishing.library import Library
from publishing.static_search import static_index


def test_the_export_index_holds_public_articles_as_plain_text(content_dir, write_article) -> None:
    write_article("x", "title: X <b>\ndate: 2026-05-01\ntags: [C++]\n", "**Bold** and `code`.\n")
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    view = library.snapshot().view(datetime(2026, 6, 1, tzinfo=UTC))
    entries = json.loads(static_index(view.articles, lambda d: f"{d:%Y}"))
    entry = next(e for e in entries if e["slug"] == "x")
    assert entry["title"] == "X <b>" and entry["shown"] == "2026"
    assert entry["tags"] == [["c-plus-plus", "C++"]]
    assert entry["date"] == "2026-05-01T00:00:00+00:00"
    assert "Bold and code" in entry["text"] and "**" not in entry["text"]
    assert len(entries) == len(view.articles)
