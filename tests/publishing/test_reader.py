from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing.reader import ArticleError, read_article

UTC = ZoneInfo("UTC")


def read(data: bytes, name: str = "post.md"):
    return read_article(Path(name), data, author="Default Author", tz=UTC)


def test_a_good_file_becomes_an_article_with_defaults():
    article = read(b"---\ntitle: Hello\ndate: 2026-01-05\n---\n\nBody text.\n", "My Post.md")
    assert (article.title, article.slug, article.author) == ("Hello", "my-post", "Default Author")
    assert article.body == "Body text."
    assert not article.draft and article.tags == ()


def test_a_byte_order_mark_is_accepted():
    assert read("\ufeff---\ntitle: Hé\ndate: 2026-01-05\n---\nx".encode()).title == "Hé"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe---\ntitle: x\n", "not valid UTF-8: byte 0xff at line 1, column 1"),
        (b"Just text, no front matter.\n", "no YAML front matter"),
        (b"---\ntitle: x\ndate: 2026-01-05\n", "front matter is not closed"),
        (b"---\ntitle: x\ndate: [2026\n---\nx", r"broken YAML front matter at line 4, column 1"),
        (b"---\ntitle: a: b\n---\nx", r"broken YAML front matter at line 2, column 9"),
        (b"---\n- a\n- b\n---\nx", "front matter must be a mapping of fields, not list"),
        (b"---\ndate: 2026-01-05\n---\nx", "no 'title'"),
        (b"---\ntitle: x\n---\nx", "no 'date'"),
        (b"---\ntitle: x\ndate: 2026-01-05\n---\n  \n\n", "no content after the front matter"),
    ],
)
def test_each_kind_of_bad_file_says_what_is_wrong(data, message):
    with pytest.raises(ArticleError, match=message):
        read(data)


def test_a_file_name_without_letters_needs_a_slug():
    with pytest.raises(ArticleError, match="set 'slug'"):
        read(b"---\ntitle: x\ndate: 2026-01-05\n---\nx", "日本語.md")
    assert read(b"---\ntitle: x\ndate: 2026-01-05\nslug: nihongo\n---\nx", "日本語.md").slug == (
        "nihongo"
    )


def test_the_version_is_a_digest_of_the_bytes():
    one = read(b"---\ntitle: x\ndate: 2026-01-05\n---\nOne")
    assert one.version == read(b"---\ntitle: x\ndate: 2026-01-05\n---\nOne").version
    assert one.version != read(b"---\ntitle: x\ndate: 2026-01-05\n---\nTwo").version
