"""Statistical disclosure control of the open data: the 10-5 rule with complementary
suppression (docs/decisions/0048).

A table is a grid of counts with its margins: `cells[i][j]` for row i and column j, the row
totals, the column totals and the grand total. Protection:

1. primary suppression: a count from 1 to 9 is not published;
2. complementary suppression: the rows, columns and totals are equations between cells; a
   suppressed cell could be recovered by differencing exactly when, in the graph whose nodes
   are the lines (rows and columns, the totals' line included) and whose edges are the
   suppressed cells, its edge is a bridge (on no cycle). Each such cell gets the cheapest
   cycle of four cells (fewest people hidden), until none is left;
3. every other count is rounded to the nearest 5 (the margins from the true totals).

Pure functions on lists: no Django, so the disclosure test can attack them directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

THRESHOLD = 10
ROUNDING = 5
TOTAL = -1  # the index of the totals' line, for rows and for columns


@dataclass
class Protected:
    """The published grid: None where suppressed; same shape as the input, margins apart."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    suppressed: set[tuple[int, int]]  # (i, j), TOTAL for a margin


def _value(cells, i, j, row_totals, column_totals, total):
    if i == TOTAL and j == TOTAL:
        return total
    if i == TOTAL:
        return column_totals[j]
    if j == TOTAL:
        return row_totals[i]
    return cells[i][j]


def round_to(value: int, base: int = ROUNDING) -> int:
    return int(base * ((value + base / 2) // base))


def _bridges(suppressed: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The suppressed cells on no cycle of the bipartite line graph (their value is known):
    the graph's bridges, by Tarjan's low-link in one depth-first pass (iterative)."""
    graph = defaultdict(list)
    for i, j in suppressed:
        graph["r", i].append((("c", j), (i, j)))
        graph["c", j].append((("r", i), (i, j)))
    order, low, found = {}, {}, []
    counter = 0
    for root in sorted(graph):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(graph[root]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for other, cell in edges:
                if cell == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, cell, iter(graph[other])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
    return sorted(found)


def protect(cells: list[list[int]]) -> Protected:
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[i][j] for i in range(rows)) for j in range(columns)]
    total = sum(row_totals)
    indices_i = [*range(rows), TOTAL]
    indices_j = [*range(columns), TOTAL]

    def value(i, j):
        return _value(cells, i, j, row_totals, column_totals, total)

    suppressed = {(i, j) for i in indices_i for j in indices_j if 0 < value(i, j) < THRESHOLD}
    for _round in range(rows * columns + 4):
        bridges = _bridges(suppressed)
        if not bridges:
            break
        i, j = bridges[0]
        best = None
        for i2 in indices_i:
            if i2 == i:
                continue
            for j2 in indices_j:
                if j2 == j:
                    continue
                added = {(i2, j), (i2, j2), (i, j2)} - suppressed
                # Hide as few people as possible; zeros never help (a zero is no secret).
                cost = sum(value(a, b) or 10**9 for a, b in added)
                if best is None or cost < best[0]:
                    best = (cost, added)
        if best is None:  # a single line or column: nothing can hide the cell but its total
            suppressed |= {(i2, j2) for i2 in indices_i for j2 in indices_j}
            break
        suppressed |= best[1]

    def published(i, j):
        return None if (i, j) in suppressed else round_to(value(i, j))

    return Protected(
        cells=[[published(i, j) for j in range(columns)] for i in range(rows)],
        row_totals=[published(i, TOTAL) for i in range(rows)],
        column_totals=[published(TOTAL, j) for j in range(columns)],
        total=published(TOTAL, TOTAL),
        suppressed=suppressed,
    )
