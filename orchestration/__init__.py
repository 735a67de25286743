"""Dagster code location for encv's internal duties."""
