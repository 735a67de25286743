"""SQL of a code's life: codes, claims, issue writes and counters, tokens, user
reports, SMS configuration.
"""
