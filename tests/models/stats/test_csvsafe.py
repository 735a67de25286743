"""CSV injection: cells a spreadsheet would run come back as text."""

from __future__ import annotations

import csv
import io

import pytest

from models.stats.csvsafe import neutralise_cell, safe_row, to_csv


@pytest.mark.parametrize(
    "cell",
    ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+cmd|' /C calc'!A0", "-2+3", "\t=1", "\r=1"],
)
def test_formula_cells_are_neutralised(cell):
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3", "+15555550100", "12.5", "2026-05-01", "ok", ""])
def test_plain_values_and_numbers_are_kept(cell):
    assert neutralise_cell(cell) == cell


def test_safe_row_neutralises_every_cell():
    assert safe_row(["=1+1", 7, None, "@x"]) == ["'=1+1", "7", "", "'@x"]


def test_to_csv_is_rfc4180_and_neutralised():
    text = to_csv([["date", "name"], ["2021-03-01", '=cmd|"/c calc"!A0'], ["x", "a,b"]])
    assert text.endswith("\r\n") and text.count("\r\n") == 3
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["date", "name"],
        ["2021-03-01", '\'=cmd|"/c calc"!A0'],
        ["x", "a,b"],
    ]
