"""The open data's disclosure control: no suppressed count can be worked out from the
published cells, row and column totals and grand total (ONS 10-5 rule, docs/decisions/0048).

The attack knows every published cell exactly (worse than the real, rounded figures) and
uses every equation of the table: each row and each column adds up to its total, the totals
to the grand total. A suppressed cell is recovered when its value follows from these
equations, that is when its unit vector lies in the row space of the equations restricted
to the suppressed cells. The attack must fail for every cell of every table.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from hirfa.stats.disclosure import TOTAL, protect, round_to


def _equations(rows: int, columns: int) -> list[list[tuple[int, int, int]]]:
    """Each equation as [(i, j, coefficient)]: the sum of a line minus its total is zero."""
    equations = []
    for i in [*range(rows), TOTAL]:
        equations.append([(i, j, 1) for j in range(columns)] + [(i, TOTAL, -1)])
    for j in [*range(columns), TOTAL]:
        equations.append([(i, j, 1) for i in range(rows)] + [(TOTAL, j, -1)])
    return equations


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(cells, suppressed) -> set:
    """The suppressed cells whose value the table's equations give away."""
    unknowns = sorted(suppressed)
    if not unknowns:
        return set()
    index = {cell: n for n, cell in enumerate(unknowns)}
    matrix = []
    for equation in _equations(len(cells), len(cells[0])):
        row = [Fraction(0)] * len(unknowns)
        for i, j, coefficient in equation:
            if (i, j) in index:
                row[index[i, j]] += coefficient
        if any(row):
            matrix.append(row)
    base = _rank(matrix) if matrix else 0
    found = set()
    for cell, n in index.items():
        unit = [Fraction(int(k == n)) for k in range(len(unknowns))]
        if _rank([*matrix, unit]) == base:
            found.add(cell)
    return found


GRIDS = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 6).flatmap(
        lambda columns: st.lists(
            st.lists(
                st.one_of(st.integers(0, 12), st.integers(0, 200)),
                min_size=columns,
                max_size=columns,
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=250, deadline=None)
@given(cells=GRIDS)
def test_no_suppressed_cell_can_be_recovered_by_differencing(cells):
    protected = protect(cells)
    assert recoverable(cells, protected.suppressed) == set()


@settings(max_examples=200, deadline=None)
@given(cells=GRIDS)
def test_every_count_from_1_to_9_is_suppressed(cells):
    protected = protect(cells)
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if 0 < value < 10:
                assert protected.cells[i][j] is None


@settings(max_examples=200, deadline=None)
@given(cells=GRIDS)
def test_every_published_count_is_a_multiple_of_5_within_2_of_the_truth(cells):
    protected = protect(cells)
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            shown = protected.cells[i][j]
            if shown is not None:
                assert shown % 5 == 0 and abs(shown - value) <= 2.5


def test_the_attack_does_find_a_cell_left_alone_in_its_row():
    """The attack works: without complementary suppression, the cell 3 is recovered."""
    cells = [[3, 40], [50, 60]]
    assert recoverable(cells, {(0, 0)}) == {(0, 0)}


def test_a_cell_alone_in_its_row_gets_a_partner():
    protected = protect([[3, 40], [50, 60]])
    assert protected.cells[0][0] is None
    assert len(protected.suppressed) >= 4


def test_a_table_of_one_small_cell_shows_nothing():
    protected = protect([[4]])
    assert protected.cells == [[None]] and protected.total is None


def test_rounding_goes_to_the_nearest_5():
    assert [round_to(v) for v in (10, 12, 13, 17, 18, 0)] == [10, 10, 15, 15, 20, 0]
