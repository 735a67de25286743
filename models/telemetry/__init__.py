"""What an operator sees of a running process: JSON logs with request ids, and
Prometheus metrics (request outcomes, codes, SMS, refusals, backends, duties).
"""
