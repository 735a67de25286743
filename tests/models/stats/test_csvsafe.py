import csv
import io

import pytest

from models.stats.csvsafe import neutralise, to_csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("2021-03-01", "2021-03-01"),
        ("1|2|3", "1|2|3"),
        (7, "7"),
        (None, ""),
        ("", ""),
    ],
)
def test_neutralise(cell, written):
    assert neutralise(cell) == written


def test_to_csv_is_rfc4180_and_neutralised():
    text = to_csv([["date", "name"], ["2021-03-01", '=cmd|"/c calc"!A0'], ["x", "a,b"]])
    assert text.endswith("\r\n") and text.count("\r\n") == 3
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["date", "name"],
        ["2021-03-01", '\'=cmd|"/c calc"!A0'],
        ["x", "a,b"],
    ]
