"""Array literals round-trip through PostgreSQL unchanged."""

from db.arrays import int_array, text_array


def test_text_arrays_survive_quotes_backslashes_commas_and_braces(conn):
    values = ['plain', 'with "quotes"', "back\\slash", "a,b", "{x}", "", " sp ", "NULL"]
    got = conn.execute("SELECT %s::text[]", (text_array(values),)).fetchone()[0]
    assert got == values


def test_an_empty_text_array_is_empty(conn):
    assert conn.execute("SELECT %s::text[]", (text_array([]),)).fetchone()[0] == []


def test_int_arrays_round_trip(conn):
    values = [0, 1, -2, 2_000_000_000]
    got = conn.execute("SELECT %s::integer[]", (int_array(values),)).fetchone()[0]
    assert got == values
