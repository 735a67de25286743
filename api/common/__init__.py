"""Pieces every JSON surface shares: binding, errors, headers, health."""
