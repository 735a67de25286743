"""Falcon apps for machines: device API, admin API and the ENX redirector."""
