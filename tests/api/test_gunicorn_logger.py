"""gunicorn's access log is built only when a handler would write it."""

import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from encv.workers import Logger


def logger_with_config_dict() -> Logger:
    cfg = Config()
    # As encv.gunicorn_conf in JSON mode: a logging config is present, which
    # makes gunicorn build access atoms for every request.
    cfg.set("logconfig_dict", {"version": 1, "disable_existing_loggers": False})
    return Logger(cfg)


@pytest.mark.parametrize(("level", "built_lines"), [(logging.WARNING, 0), (logging.INFO, 1)])
def test_access_atoms_are_built_only_when_the_line_is_written(
    monkeypatch, level, built_lines
):
    log = logger_with_config_dict()
    built = []
    monkeypatch.setattr(log, "atoms", lambda *a: built.append(a) or {})
    log.access_log.setLevel(level)
    log.access(SimpleNamespace(), SimpleNamespace(), {}, None)
    assert len(built) == built_lines
