"""Local fake third-party servers for tests (real HTTP/SMTP on 127.0.0.1)."""
