"""Errors with a message for the user (importing this does not import torch)."""
from irg.engine.errors import AdapterError  # noqa: F401 — declared with the engine's other user errors
