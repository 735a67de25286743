"""The apiserver surface used by phone apps."""
