"""Array literals round-trip through PostgreSQL unchanged."""

from db.arrays import array_literal


def test_text_arrays_survive_quotes_backslashes_commas_and_braces(conn):
    values = ['plain', 'with "quotes"', "back\\slash", "a,b", "{x}", "", " sp ", "NULL"]
    got = conn.execute("SELECT %s::text[]", (array_literal(values),)).fetchone()[0]
    assert got == values


def test_an_empty_text_array_is_empty(conn):
    assert conn.execute("SELECT %s::text[]", (array_literal([]),)).fetchone()[0] == []


def test_int_arrays_round_trip(conn):
    values = [0, 1, -2, 2_000_000_000]
    got = conn.execute("SELECT %s::integer[]", (array_literal(values),)).fetchone()[0]
    assert got == values


def test_mixed_literals_round_trip_with_nulls(conn):
    import datetime as dt
    import uuid


    moment = dt.datetime(2026, 11, 29, 22, 8, 22, 123456, tzinfo=dt.UTC)
    ident = uuid.uuid4()
    row = conn.execute(
        "SELECT %s::timestamptz[], %s::uuid[], %s::bool[], %s::bigint[], %s::text[]",
        (
            array_literal([moment, None]),
            array_literal([ident, None]),
            array_literal([True, False, None]),
            array_literal([None, 2**40]),
            array_literal(["NULL", None, ""]),
        ),
    ).fetchone()
    assert row == (
        [moment, None],
        [ident, None],
        [True, False, None],
        [None, 2**40],
        ["NULL", None, ""],
    )


def test_unknown_element_types_are_refused():
    import pytest


    with pytest.raises(TypeError):
        array_literal([1.5])
