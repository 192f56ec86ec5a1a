"""All shortest paths between two nodes by bidirectional breadth-first search.

Pure: the graph is a function giving a node's neighbours in the forward (from the source) or
backward (from the target) direction. Searching from both ends meets in the middle, so on a
large graph with hubs it visits a tiny fraction of what a one-sided search would.

Paths come out in a fixed order: the ``limit`` smallest by their node sequence read from the
target back to the source, then sorted (the order both stores use).

Examples
--------
>>> edges = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
>>> def step(node, forward):
...     if forward:
...         return edges[node]
...     return [n for n, outs in edges.items() if node in outs]
>>> all_shortest_paths("a", "d", step, max_length=5, limit=10)
[['a', 'b', 'd'], ['a', 'c', 'd']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Step = Callable[[str, bool], Iterable[str]]
Degree = Callable[[str, bool], int]


class _Side:
    """One half of the search: levels, parents (one hop nearer its origin), frontier."""

    def __init__(self, origin: str, forward: bool) -> None:
        self.origin = origin
        self.forward = forward
        self.level = {origin: 0}
        self.parents: dict[str, list[str]] = {origin: []}
        self.frontier = [origin]
        self.depth = 0

    def expand(self, step: Step) -> None:
        nxt: list[str] = []
        depth = self.depth + 1
        for current in self.frontier:
            for other in step(current, self.forward):
                seen = self.level.get(other)
                if seen is None:
                    self.level[other] = depth
                    self.parents[other] = [current]
                    nxt.append(other)
                elif seen == depth and current not in self.parents[other]:
                    self.parents[other].append(current)
        self.frontier = nxt
        self.depth = depth


def all_shortest_paths(source: str, target: str, step: Step, *, max_length: int,
                       limit: int, degree: Degree | None = None) -> list[list[str]]:
    """Up to ``limit`` shortest paths of at most ``max_length`` hops, as node-id lists.

    ``degree(node, forward)``, when given, estimates the cost of expanding a node, so the
    side whose next level is cheaper expands (else the smaller frontier does).
    """
    if source == target:
        return [[source]]
    fwd, bwd = _Side(source, True), _Side(target, False)
    meet: list[str] = []
    while not meet:
        if not fwd.frontier or not bwd.frontier or fwd.depth + bwd.depth >= max_length:
            return []
        # Expand the smaller frontier by one whole level; the two searches meet when a node
        # newly reached by one side is already known to the other.
        side, other = (fwd, bwd) if _cost(fwd, degree) <= _cost(bwd, degree) else (bwd, fwd)
        side.expand(step)
        meet = [n for n in side.frontier if n in other.level]
    distance = min(fwd.level[n] + bwd.level[n] for n in meet)
    if distance > max_length:
        return []
    return _enumerate(fwd, bwd, distance, limit)


def _cost(side: _Side, degree: Degree | None) -> int:
    if degree is None:
        return len(side.frontier)
    return sum(degree(node, side.forward) for node in side.frontier)


def _enumerate(fwd: _Side, bwd: _Side, distance: int, limit: int) -> list[list[str]]:
    """Every shortest path crosses exactly one node at forward distance ``k``; enumerate from
    the target outwards (backward half, then forward half) in sorted order."""
    k = min(fwd.depth, distance)
    middle = {n for n, lv in fwd.level.items()
              if lv == k and bwd.level.get(n) == distance - k}
    outward: dict[str, list[str]] = {}
    todo, seen = list(middle), set(middle)
    while todo:  # the backward DAG from the target to the middle nodes, inverted
        node = todo.pop()
        for nearer in bwd.parents[node]:
            outward.setdefault(nearer, []).append(node)
            if nearer not in seen:
                seen.add(nearer)
                todo.append(nearer)
    chains: list[list[str]] = []
    stack: list[tuple[list[str], bool]] = [([bwd.origin], False)]
    while stack and len(chains) < limit:
        partial, in_forward_half = stack.pop()
        head = partial[-1]
        if in_forward_half or head in middle:
            if not fwd.parents[head]:
                chains.append(partial[::-1])
                continue
            stack.extend(([*partial, p], True) for p in sorted(fwd.parents[head], reverse=True))
        else:
            stack.extend(([*partial, n], False) for n in sorted(outward.get(head, ()),
                                                               reverse=True))
    return sorted(chains)
