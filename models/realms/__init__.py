"""A realm and what hangs off it: cached realm lookups, API keys, and the demo realm
bootstrap.
"""
