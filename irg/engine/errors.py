"""Every error whose message is a sentence for the user, in one place with one base.

A view catches `UserError` (and OSError) and shows the message; anything else is a bug, logged with its traceback
and shown as "failed unexpectedly". Each keeps its old base class too (ValueError or RuntimeError), so code that
catches those still does; the modules that raise them re-export them under their old names.
"""


class UserError(Exception):
    """The message is meant for the user as is."""


class ConfigError(UserError, ValueError):
    """An invalid setting."""


class ConstraintError(UserError, ValueError):
    """A constraint given by hand (a batch file, a suite) that is not valid; the message names the field."""


class InputError(UserError, ValueError):
    """Bad input (an empty or unreadable prompt); the message says what to do."""


class ModelError(UserError, RuntimeError):
    """The model cannot be loaded; one sentence."""


class BackendError(UserError, RuntimeError):
    """A generation failed. `blamed`: the request itself caused it (a resumed batch does not run it again)."""

    blamed = False


class RequestCrashed(BackendError):
    """The request crashed the model process again while it ran alone: it, and nothing else, is to blame."""

    blamed = True


def retryable(err: Exception) -> bool:
    """Was this failure not the run's own doing (the model process killed from outside, a server that failed)? A
    resumed batch runs such a line again; the line's own errors (its prompt, its constraints, a crash it caused
    twice alone) and bugs are kept, not run again and again."""
    return isinstance(err, (BackendError, ModelError)) and not getattr(err, "blamed", False)


class AdapterError(UserError, ValueError):
    """A tuned adapter cannot be used (raised by tuning/, declared here so views need no tuning import)."""
