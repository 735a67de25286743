"""Signing keys seen from outside the duties: first-start system keys and secrets, and
the public JWKS of certificate keys.
"""
