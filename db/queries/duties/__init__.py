"""SQL of the internal duties: purge, rotation, modeler, app sync, stats pull, e2e
bootstrap, e-mailers and run locks.
"""
