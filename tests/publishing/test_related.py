from datetime import timedelta
from unittest import mock

from publishing import search_index
from publishing.related import related
from publishing.search_index import SearchIndex
from tests.support.articles import DAY_ONE, article

NOW = DAY_ONE + timedelta(days=365)


def related_slugs(target, *others, limit=3):
    """The related articles of ``target``, the same whether the index ranks by ``Ranking`` (once
    every article has its word pairs) or by FTS5 (before: pairs left to ``pair_up``)."""
    answers = []
    for paired in (True, False):
        fewer = search_index.PAIRED_AT_ONCE if paired else 0  # 0: every pair left to pair_up
        with mock.patch.object(search_index, "PAIRED_AT_ONCE", fewer):
            index = SearchIndex()
            index.update([target, *others])
        assert index.unpaired == (0 if paired else len(others) + 1)
        answers.append([found.slug for found in related(target, index, now=NOW, limit=limit)])
    assert answers[0] == answers[1]
    return answers[0]


def common(n):
    return article(f"common-{n}", f"Unrelated {n}", tags=("Common",))


def test_a_rare_shared_tag_outweighs_a_common_one():
    target = article("target", "Target", tags=("Common", "Rare"))
    assert related_slugs(
        target,
        *(common(n) for n in range(10)),
        article("rare", "Other", tags=("Rare",)),
        limit=2,
    ) == ["rare", "common-0"]


def test_more_shared_tags_come_first():
    target = article("target", "Target", tags=("A", "B"))
    both = article("both", "Both", tags=("A", "B"))
    one = article("one", "One", tags=("A",), date=DAY_ONE + timedelta(days=1))
    assert related_slugs(target, one, both) == ["both", "one"]


def test_titles_and_summaries_decide_between_equal_tags():
    target = article("target", "Serving language models", tags=("AI",))
    near = article("near", "Language models in production", tags=("AI",))
    far = article("far", "Gardening", tags=("AI",), date=DAY_ONE + timedelta(days=9))
    untagged = article("untagged", "Serving models cheaply")
    stranger = article("stranger", "Knitting")
    assert related_slugs(target, far, near, untagged, stranger) == ["near", "far", "untagged"]


def test_never_itself_a_draft_or_a_future_article():
    target = article("target", "Zephyr", tags=("Wind",))
    hidden = [
        article("draft", "Zephyr", tags=("Wind",), draft=True),
        article("later", "Zephyr", tags=("Wind",), date=NOW + timedelta(days=1)),
    ]
    assert related_slugs(target, *hidden) == []
    assert related_slugs(target, *hidden, article("public", "Zephyr")) == ["public"]


def test_an_article_without_tags_or_words_gets_text_matches_or_nothing():
    assert related_slugs(article("target", "🙂"), article("other", "Other")) == []


def test_the_rarest_words_of_a_long_title_and_summary_decide_not_the_first_ones():
    small = "why the are how and was for with this that have from"  # in every article
    target = article("target", f"{small.title()} Quokkas", summary=f"{small} about quokkas.")
    alike = article("alike", "Quokka habits", f"{small}.")
    others = [article(f"other-{n}", f"Other {n} {small}", f"{small} {small}.") for n in range(6)]
    assert related_slugs(target, *others, alike, limit=1) == ["alike"]
