"""Gunicorn settings shared by every surface (`--config python:encv.gunicorn_conf`)."""

import os

# Threads, so that slow or idle clients cannot take a surface offline (a sync
# worker is held by one connection until it finishes), with every socket read
# bounded (encv/workers.py). 64 threads per worker keep /health and normal
# requests answering while 50 clients stall mid-body; the PostgreSQL pool
# (ENCV_DB_POOL_MAX) stays small and requests wait at most
# ENCV_DB_CHECKOUT_TIMEOUT for a connection. Measured in tests/faults and
# bench/reports.
worker_class = "encv.workers.BoundedThreadWorker"
threads = int(os.environ.get("ENCV_THREADS", "") or 64)
# No preload: each worker builds its own pool after fork.
preload_app = False
keepalive = 5
timeout = 60
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
