"""Output amplification (a file adds at most 10x its size), a failed save, orphan temp files.

A paragraph the sentence splitter cannot cut (no capital after each full stop) with a
mention every few words used to put the whole paragraph on every MENTIONS edge: 36 KB of
text made a 19 MB store. Quotes are now a bounded window around the mention.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citegraph.errors import StoreError
from citegraph.model import MAX_QUOTE_CHARS, GraphBatch, Node, NodeType, RelType
from citegraph.settings import Settings
from citegraph.stores.embedded import EmbeddedStore
from ingest.pipeline import ingest_bytes

PHRASE = "the GDPR and the Convention on the Rights of the Child and the DSA. "


def _store_bytes(tmp_path: Path, name: str, text: str) -> tuple[int, EmbeddedStore]:
    path = tmp_path / f"{name}.json"
    settings = Settings(_env_file=None, store=path)  # type: ignore[call-arg]
    store = EmbeddedStore(path)
    report = ingest_bytes(store, f"{name}.md", text.encode(), settings=settings)
    assert report.failed == 0, report.to_dict()
    return path.stat().st_size, store


def test_a_long_unsplit_paragraph_of_mentions_stays_within_10x(tmp_path: Path) -> None:
    head = "# A paper\n\n1. Introduction\n\nThis paper discusses "
    text = head + PHRASE * (36_000 // len(PHRASE)) + "and nothing else.\n"
    baseline, _ = _store_bytes(tmp_path, "short", head + "nothing.\n")
    size, store = _store_bytes(tmp_path, "long", text)
    growth = size - baseline
    assert growth <= 10 * len(text.encode()), (growth, len(text))
    mentions = [r for r in store.iter_relationships() if r.type is RelType.MENTIONS]
    assert len(mentions) > 300  # the mentions are all still there
    for rel in mentions:
        assert len(rel.provenance.quote) <= MAX_QUOTE_CHARS + 4
        assert rel.props["mention"] in rel.provenance.quote


# -- a failed save, orphan temporary files ---------------------------------------------------
def _batch(document: str) -> GraphBatch:
    return GraphBatch.of(document, [Node(document, NodeType.WORK, "A paper")], [])


def test_a_failed_save_rolls_the_live_graph_back(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    store = EmbeddedStore(path)
    store.write(_batch("work:first"))
    # A directory where the save's temporary file must go: the save fails for real.
    blocker = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    blocker.mkdir()
    with pytest.raises(StoreError, match="cannot save"):
        store.write(_batch("work:second"))
    assert store.find_node("work:second") is None  # not served although never saved
    assert store.find_node("work:first") is not None
    blocker.rmdir()
    store.write(_batch("work:third"))
    assert EmbeddedStore(path).find_node("work:second") is None


def test_orphan_temporary_files_are_removed_at_start_up(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    EmbeddedStore(path).write(_batch("work:first"))
    orphan = path.with_name(f".{path.name}.999999.tmp")
    orphan.write_bytes(b'{"format": "half a save')
    store = EmbeddedStore(path)
    assert not orphan.exists()
    assert store.find_node("work:first") is not None
