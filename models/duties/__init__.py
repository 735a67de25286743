"""The internal duties Dagster schedules: cleanup, rotation, modeler and its forecast,
app sync, stats pull, e2e prober, backup, e-mailers, plus their run locks and
outbound JSON client.
"""
