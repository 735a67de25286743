"""People who sign in to the web UI: passwords, sign-in and lockout, TOTP, sessions,
Identity Platform tokens, single-use action tokens and their mails, memberships and
realm permissions (RBAC).
"""
