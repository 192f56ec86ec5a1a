"""Bidirectional all-shortest-paths agrees with a plain one-sided search on random graphs."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.pathsearch import all_shortest_paths


def reference(source: str, target: str, edges: set[tuple[str, str]], directed: bool,
              max_length: int, limit: int) -> list[list[str]]:
    """One-sided BFS; paths chosen as the `limit` smallest read from the target, sorted."""
    adj: dict[str, set[str]] = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        if not directed:
            adj.setdefault(b, set()).add(a)
    level, parents = {source: 0}, {source: []}  # type: ignore[var-annotated]
    queue = deque([source])
    while queue:
        cur = queue.popleft()
        if level[cur] >= max_length:
            continue
        for other in sorted(adj.get(cur, ())):
            if other not in level:
                level[other] = level[cur] + 1
                parents[other] = [cur]
                queue.append(other)
            elif level[other] == level[cur] + 1 and cur not in parents[other]:
                parents[other].append(cur)
    if target not in level:
        return []
    chains: list[list[str]] = []

    def walk(partial: list[str]) -> None:
        if partial[-1] == source:
            chains.append(partial[::-1])
            return
        for parent in sorted(parents[partial[-1]]):
            walk([*partial, parent])

    walk([target])
    return sorted(sorted(chains, key=lambda c: c[::-1])[:limit])


def stepper(edges: set[tuple[str, str]], directed: bool):  # type: ignore[no-untyped-def]
    def step(node: str, forward: bool) -> Iterable[str]:
        out = [b for a, b in edges if a == node] if forward or not directed else []
        inc = [a for a, b in edges if b == node] if not forward or not directed else []
        return out + inc
    return step


NODES = [f"n{i}" for i in range(9)]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(edges=st.sets(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), max_size=25),
       source=st.sampled_from(NODES), target=st.sampled_from(NODES), directed=st.booleans(),
       max_length=st.integers(0, 6), limit=st.integers(1, 6), by_degree=st.booleans())
def test_bidirectional_equals_one_sided(edges: set[tuple[str, str]], source: str, target: str,
                                        directed: bool, max_length: int, limit: int,
                                        by_degree: bool) -> None:
    edges = {(a, b) for a, b in edges if a != b}
    step = stepper(edges, directed)
    got = all_shortest_paths(source, target, step, max_length=max_length, limit=limit,
                             degree=(lambda n, f: len(list(step(n, f)))) if by_degree else None)
    if source == target:
        assert got == [[source]]
        return
    assert got == reference(source, target, edges, directed, max_length, limit)
