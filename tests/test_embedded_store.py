"""Embedded-store specifics: persistence, atomic saves, concurrent writers, corrupt files.

The behaviour shared with Neo4j is in the conformance suite (test_store_conformance.py).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from citegraph.errors import CorruptStoreError
from citegraph.model import GraphBatch, Node, NodeType, Provenance, Relationship, RelType
from citegraph.stores.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]


def _batch(document: str, n: int, offset: int = 0) -> GraphBatch:
    nodes = [Node(f"work:{document}-{i}", NodeType.WORK, f"Work {i}", {"year": 2000 + i % 20})
             for i in range(offset, offset + n)]
    rels = [Relationship(nodes[i].id, nodes[i - 1].id, RelType.CITES,
                         Provenance(document, str(i), (i, i + 1), f"quote {i}", "marker"))
            for i in range(1, len(nodes))]
    return GraphBatch.of(document, nodes, rels)


def _state(path: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    store = EmbeddedStore(path)
    nodes = sorted((n.to_dict() for n in store.iter_nodes()), key=lambda d: str(d["id"]))
    rels = sorted((r.to_dict() for r in store.iter_relationships()),
                  key=lambda d: json.dumps(d, sort_keys=True))
    return nodes, rels


def test_persists_and_reloads(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    EmbeddedStore(path).write(_batch("doc", 5))
    again = EmbeddedStore(path)
    assert again.counts().nodes == {"Work": 5}
    assert again.counts().relationships == {"CITES": 4}


def test_rewriting_the_same_batch_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    store = EmbeddedStore(path)
    store.write(_batch("doc", 5))
    first = path.read_bytes()
    store.write(_batch("doc", 5))
    assert path.read_bytes() == first


def test_reader_sees_another_writers_changes(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    reader = EmbeddedStore(path)
    EmbeddedStore(path).write(_batch("doc", 3))
    assert reader.counts().total_nodes == 3


def test_writers_merge_instead_of_overwriting(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    one, two = EmbeddedStore(path), EmbeddedStore(path)
    one.write(_batch("a", 3))
    two.write(_batch("b", 4))
    assert EmbeddedStore(path).counts().total_nodes == 7


def test_corrupt_file_is_a_typed_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"format": "citegraph-store", "nodes": [', encoding="utf-8")
    with pytest.raises(CorruptStoreError) as info:
        EmbeddedStore(path)
    assert str(path) in str(info.value)


def test_foreign_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(CorruptStoreError):
        EmbeddedStore(path)


_SAVER = textwrap.dedent("""
    import sys
    from citegraph.stores.embedded import EmbeddedStore
    sys.path.insert(0, {tests!r})
    from test_embedded_store import _batch
    store = EmbeddedStore({path!r})
    print("ready", flush=True)
    i = 0
    while True:
        store.write(_batch("big", 3000, offset=i % 2))
        i += 1
""")


def test_killing_a_save_leaves_a_readable_store(tmp_path: Path) -> None:
    """SIGKILL a process that saves in a loop; every time, the file is a complete state."""
    path = tmp_path / "g.json"
    EmbeddedStore(path).write(_batch("big", 3000))
    before = _state(path)
    after_variant = EmbeddedStore(None)
    after_variant.write(_batch("big", 3000))
    after_variant.write(_batch("big", 3000, offset=1))
    variant_nodes = {n.id for n in after_variant.iter_nodes()}
    rng = random.Random(7)
    script = _SAVER.format(tests=str(Path(__file__).parent), path=str(path))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        nodes, _ = _state(path)  # raises if the file is torn
        ids = {str(n["id"]) for n in nodes}
        assert ids in ({str(n["id"]) for n in before[0]}, variant_nodes)
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # A killed save may leave its temporary file behind; the store itself is never torn.
    assert all(p.name.startswith(".g.json.") for p in leftovers)


def test_write_many_saves_once_and_keeps_batches_before_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    store = EmbeddedStore(path)
    bad = GraphBatch.of("bad", [], [Relationship("work:x", "work:y", RelType.CITES,
                                                 Provenance("bad"))])
    from citegraph.errors import ModelError

    with pytest.raises(ModelError):
        store.write_many([_batch("a", 3), bad, _batch("b", 2)])
    assert EmbeddedStore(path).counts().total_nodes == 3  # "a" saved, "bad" and "b" not
    result = store.write_many([_batch("b", 2), _batch("c", 2)])
    assert (result.nodes, result.relationships) == (4, 2)
    assert EmbeddedStore(path).counts().total_nodes == 7


def test_influence_trace_sees_articles_added_after_a_first_trace() -> None:
    """The instrument→articles index is cached per graph version, never served stale."""
    from citegraph.analytics import influence_trace

    store = EmbeddedStore(None)
    inst = Node("instrument:/akn/x/act/2000-01-01/law", NodeType.INSTRUMENT, "Law")

    def article_with_mention(n: int) -> GraphBatch:
        art = Node(f"article:/akn/x/act/2000-01-01/law#art_{n}", NodeType.ARTICLE, f"Art. {n}")
        sec = Node(f"section:p/{n}", NodeType.SECTION, f"S{n}")
        prov = Provenance("p", str(n))
        return GraphBatch.of("p", [inst, art, sec], [
            Relationship(inst.id, art.id, RelType.HAS_ARTICLE, prov),
            Relationship(sec.id, art.id, RelType.MENTIONS, prov)])

    store.write(article_with_mention(1))
    first = {e.id for e in influence_trace(store.projection(), inst.id).entries}
    assert "section:p/1" in first
    store.write(article_with_mention(2))
    second = {e.id for e in influence_trace(store.projection(), inst.id).entries}
    assert {"section:p/1", "section:p/2"} <= second
