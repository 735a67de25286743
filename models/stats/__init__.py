"""Statistics: the daily counters the APIs write while claiming, and the reports (JSON
and CSV rows) read back by the admin API and the UI.
"""
