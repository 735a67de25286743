"""The adminapi surface used by PHA systems."""
