import itertools

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from digibank.core.privacy import suppress_table

THRESHOLD = 5


@override_settings(MIN_PUBLISHED_COUNT=THRESHOLD)
def test_one_small_count_in_a_column_withholds_its_total_too():
    cells, totals = suppress_table({"lent": [40, 3]})
    assert cells["lent"] == [40, None]
    assert totals["lent"] is None  # 43 - 40 would give the 3 away


@override_settings(MIN_PUBLISHED_COUNT=THRESHOLD)
def test_two_small_counts_adding_up_to_less_than_the_threshold_withhold_the_total():
    cells, totals = suppress_table({"lent": [10, 2, 2]})
    assert cells["lent"] == [10, None, None] and totals["lent"] is None


@override_settings(MIN_PUBLISHED_COUNT=THRESHOLD)
def test_total_is_withheld_when_the_hidden_counts_can_only_be_the_highest_small_value():
    _cells, totals = suppress_table({"lent": [10, 4, 4]})
    assert totals["lent"] is None  # 18 - 10 = 8 = 4 + 4: both hidden counts would be known


@override_settings(MIN_PUBLISHED_COUNT=THRESHOLD)
def test_total_is_shown_when_the_hidden_counts_stay_unknown():
    cells, totals = suppress_table({"lent": [10, 3, 4], "taken_in": [5, 6, 7]})
    assert cells["lent"] == [10, None, None] and totals["lent"] == 17  # 7: 3+4, 4+3 or 2+... unknown
    assert cells["taken_in"] == [5, 6, 7] and totals["taken_in"] == 18


@override_settings(MIN_PUBLISHED_COUNT=THRESHOLD)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5))
def test_no_withheld_count_of_someone_can_be_worked_out_from_what_is_published(values):
    cells, totals = suppress_table({"n": values})
    shown, total = cells["n"], totals["n"]
    hidden = [i for i, v in enumerate(shown) if v is None]
    assert all(values[i] < THRESHOLD for i in hidden) and all(
        shown[i] == values[i] for i in range(len(values)) if i not in hidden
    )
    if total is None or not hidden:
        return
    assert total == sum(values)
    rest = total - sum(v for v in shown if v is not None)
    # Every way the hidden counts (each 0..threshold-1) could add up to what the total leaves:
    # each hidden count must have more than one possible value, unless they add up to 0 (nobody).
    ways = [w for w in itertools.product(range(THRESHOLD), repeat=len(hidden)) if sum(w) == rest]
    assert rest == 0 or all(len({w[k] for w in ways}) > 1 for k in range(len(hidden)))
    assert rest == 0 or rest >= THRESHOLD
