"""The served app builds the search index at start-up, before the first user waits for it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from graph_fixture import fixture_batch
from test_api import make_settings

from api.app import warm_search
from api.deps import StoreHolder
from citegraph.settings import Settings
from citegraph.stores.embedded import EmbeddedStore


def test_warm_up_opens_the_store_and_builds_its_search_index(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    store.write(fixture_batch())
    assert store._cached(store._index) is None
    settings = make_settings(tmp_path)
    assert asyncio.run(warm_search(StoreHolder(settings, store), settings))
    assert store._cached(store._index) is not None


def test_a_failed_warm_up_is_reported_not_raised(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, store=tmp_path / "not-a-store.json")  # type: ignore[call-arg]
    (tmp_path / "not-a-store.json").write_text("{ not json", encoding="utf-8")
    assert asyncio.run(warm_search(StoreHolder(settings, None), settings)) is False
