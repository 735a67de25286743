"""Resources of the web UI, one route family per module."""
