"""Gunicorn settings shared by every surface (`--config python:encv.gunicorn_conf`)."""

# Sync workers measured fastest on this class of machine (toolchain.md).
worker_class = "sync"
# No preload: each worker builds its own pool after fork.
preload_app = False
keepalive = 5
timeout = 60
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
