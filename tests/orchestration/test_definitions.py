def test_definitions_load():
    from orchestration.definitions import defs

    assert set(defs.resources) >= {"encv", "clock"}
