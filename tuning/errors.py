"""Errors with a message for the user (importing this does not import torch)."""


class AdapterError(ValueError):
    """The adapter cannot be used; the message is one sentence for the user."""
