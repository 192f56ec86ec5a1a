"""Helpers for queries: a node's relationships by type and direction.

(Whether a user's Cypher only reads is decided on its plan: :mod:`citegraph.cypherplan`.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from citegraph.model import Relationship, RelType
from citegraph.stores.base import MAX_RESULT_NODES, Direction, GraphStore


# -- a node's relationships, by type and direction -------------------------------------------
@dataclass(frozen=True, slots=True)
class RelGroup:
    """How many relationships of one type touch a node in one direction.

    ``capped`` says the store's cap stopped the count: there are more than ``count``.
    """

    type: RelType
    direction: Direction
    count: int
    capped: bool = False


@dataclass(frozen=True, slots=True)
class NodeRelationships:
    """Every group touching a node, and the relationships matching a filter, interleaved.

    ``complete`` is False when a store cap left some matching relationships out.
    """

    groups: tuple[RelGroup, ...]
    relationships: tuple[Relationship, ...]
    complete: bool


def direction_of(rel: Relationship, node_id: str) -> Direction:
    """``OUT`` when the relationship starts at the node (a self-loop too), else ``IN``."""
    return Direction.OUT if rel.source == node_id else Direction.IN


def _matches(rel: Relationship, node_id: str, direction: Direction,
             rel_types: Collection[RelType] | None) -> bool:
    if rel_types and rel.type not in rel_types:
        return False
    if direction is Direction.OUT:
        return rel.source == node_id
    if direction is Direction.IN:
        return rel.target == node_id
    return True


def _grouped(rels: Iterable[Relationship],
             node_id: str) -> dict[tuple[str, str], list[Relationship]]:
    groups: dict[tuple[str, str], list[Relationship]] = defaultdict(list)
    for rel in sorted(rels, key=lambda r: r.identity):
        groups[(rel.type.value, direction_of(rel, node_id).value)].append(rel)
    return groups


def interleave_groups(rels: Iterable[Relationship], node_id: str) -> list[Relationship]:
    """The relationships taken in turn from each (type, direction) group.

    The first of every group, then the second of every group, and so on (groups in
    type then direction order, each sorted by identity), so that any prefix shows every
    kind of relationship a node has, however many of one kind there are.

    >>> from citegraph.model import Provenance
    >>> p = Provenance("d")
    >>> rels = [Relationship("i", f"a{n}", RelType.HAS_ARTICLE, p) for n in range(3)]
    >>> rels.append(Relationship("s", "i", RelType.MENTIONS, p))
    >>> [(r.type.value, r.target) for r in interleave_groups(rels, "i")][:2]
    [('HAS_ARTICLE', 'a0'), ('MENTIONS', 'i')]
    """
    groups = [g for _, g in sorted(_grouped(rels, node_id).items())]
    longest = max((len(g) for g in groups), default=0)
    return [g[rank] for rank in range(longest) for g in groups if rank < len(g)]


def node_relationships(store: GraphStore, node_id: str, *,
                       direction: Direction = Direction.BOTH,
                       rel_types: Collection[RelType] | None = None,
                       cap: int = MAX_RESULT_NODES) -> NodeRelationships:
    """Count a node's relationships by type and direction; list those matching a filter.

    The groups always cover every relationship of the node (the filter does not apply
    to them); the matching relationships are interleaved (:func:`interleave_groups`).
    One store call when the node has at most ``cap`` relationships, else one per type,
    each capped at ``cap``. Raises ``NodeNotFoundError`` for an unknown node.
    """
    every = store.relationships(node_id, limit=cap + 1)
    capped_types: set[RelType] = set()
    if len(every) > cap:
        every = []
        for rel_type in RelType:
            some = store.relationships(node_id, rel_types=[rel_type], limit=cap + 1)
            if len(some) > cap:
                capped_types.add(rel_type)
            every.extend(some[:cap])
    grouped = _grouped(every, node_id)
    groups = tuple(RelGroup(RelType(t), Direction(d), len(rels), RelType(t) in capped_types)
                   for (t, d), rels in sorted(grouped.items()))
    matching = [r for r in every if _matches(r, node_id, direction, rel_types)]
    complete = not any(t in capped_types for t in (rel_types or RelType))
    return NodeRelationships(groups, tuple(interleave_groups(matching, node_id)), complete)
