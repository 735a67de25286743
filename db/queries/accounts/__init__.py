"""SQL behind people: users, memberships, sign-in counters, MFA factors and action
tokens.
"""
