"""Every real statute, treaty and OJ print in ../shared: the reader's articles against the
independent count of benchmarks/accuracy_legal.py (a different method, checked by eye)."""

from __future__ import annotations

import pytest

from benchmarks.accuracy_legal import CORPORA, REAL, evaluate


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_article_counts_and_titles_match_the_independent_count(corpus: str) -> None:
    if not (REAL / corpus).is_dir():
        pytest.skip(f"{REAL / corpus} is not there")
    outcomes = evaluate(corpus)
    assert outcomes
    wrong = [o.file for o in outcomes if not o.exact]
    assert len(wrong) <= len(outcomes) // 100, wrong  # >= 99 % exact
    right = sum(o.titles_right()[0] for o in outcomes)
    total = sum(o.titles_right()[1] for o in outcomes)
    assert right >= 0.98 * total
    # a text without articles is refused with a typed error, never loaded empty
    assert all(o.numbers is None or o.numbers for o in outcomes)
