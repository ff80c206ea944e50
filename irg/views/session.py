"""What a page needs around a run: each browser session's cancel event (Stop reaches only that session's
generation thread), input checks with a sentence for the user, loading a model or an adapter as (value, message),
and messages as HTML. Shared by the Run, Compare and Experiments tabs. No gradio here.
"""
from __future__ import annotations

import html
import logging
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from irg.engine.access import Access, RunAllowance
from irg.engine.config import RunConfig
from irg.engine.errors import ModelError, UserError
from irg.engine.inputs import check_prompt
from irg.engine.models import adapters, get_backend, model_choices
from irg.engine.registry import ADAPTERS
from irg.engine.stopping import check_rule

log = logging.getLogger(__name__)
_cancels: dict[str, threading.Event] = {}
_cancels_lock = threading.Lock()
_allowance = RunAllowance()  # public mode: runs per browser session per hour

@contextmanager
def session_cancel(session: str | None) -> Iterator[threading.Event]:
    """This session's cancel event for the length of one run or experiment; set when it ends, however it ends."""
    cancel = threading.Event()
    with _cancels_lock:
        _cancels[session or ""] = cancel
    try:
        yield cancel
    finally:
        cancel.set()  # Stop, a closed tab or an error: the generation thread halts
        with _cancels_lock:
            if _cancels.get(session or "") is cancel:
                del _cancels[session or ""]


def stop(session: str | None) -> None:
    with _cancels_lock:
        ev = _cancels.get(session or "")
    if ev is not None:
        ev.set()


def check_input(prompt: str, settings: dict) -> RunConfig:
    """The validated settings, or InputError/ConfigError with a message for the user (in public mode the prompt's
    limit is smaller)."""
    config = RunConfig(**settings)
    check_prompt(prompt, Access.from_env().max_prompt_chars)
    check_rule(config.stop)  # a missing or damaged learned model is a sentence now, not an error mid-run
    return config


def count_runs(session: str | None, runs: int) -> None:
    """Public mode: `runs` more against the browser session's hourly allowance, counted once the inputs and the
    model were accepted (ConfigError with a sentence when it is spent). A client can open new sessions: the queue's
    concurrency limits still bound what it can start at once."""
    _allowance.take(session, Access.from_env().runs_per_hour, runs)


def admitted(model: str) -> str:
    """The model a visitor chose, if this server lets them use it (public mode: the listed ones only); else
    ModelError with one sentence, the same whatever was typed."""
    return Access.from_env().admit((model or "").strip() or "bundled")


def choices() -> list[str]:
    """The model box's list: in public mode only what a visitor may pick."""
    return Access.from_env().choices(model_choices())


def load_model(model: str):
    """(backend, None) or (None, message): for the model switch and the run."""
    try:
        return get_backend(admitted(model)), None
    except ModelError as err:
        return None, str(err)
    except Exception as err:  # noqa: BLE001 — an unexpected loader failure still becomes a sentence
        log.exception("model load failed")
        return None, f"The model '{model}' could not be loaded ({type(err).__name__}); details are in the server log."


ADAPTER_OFF = "off"


def adapter_names(model: str, experimental: bool = False) -> list[str]:
    """The shipped adapters the toggle offers for this model: those measured to help (or not measured), and with
    `experimental` also those measured worse than no adapter (tuning/adapters/effects.py)."""
    hooks = adapters()
    if hooks is None:  # no adapter package registered (e.g. a slim Space)
        return []
    try:
        found = hooks.find(admitted(model))
    except ModelError:
        return []
    return [k for k in found if experimental or hooks.helps is None or hooks.helps(k)]


def adapter_options(model: str, experimental: bool = False) -> list[tuple[str, str]]:
    """(what the toggle shows, its value) for each choice: "off", then each offered adapter's label with a few words
    on what it does and its measured effect. [] = hide the toggle."""
    names = adapter_names(model, experimental)
    describe = getattr(adapters(), "describe", None)
    return [(ADAPTER_OFF, ADAPTER_OFF), *[(f"{label_of(k)} · {describe(k)}" if describe else label_of(k), label_of(k))
                                          for k in names]] if names else []


def adapter_choices(model: str, experimental: bool = False) -> list[str]:
    """The toggle's values for this model: "off" plus the label of each offered adapter ([] = hide the toggle)."""
    return [value for _, value in adapter_options(model, experimental)]


def label_of(adapter: str) -> str:
    """What the app calls a registered adapter ("gan" -> "GAN-tuned adapter"); an unregistered one by its name."""
    return ADAPTERS.get(adapter, adapter)


def load_draft_backend(model: str, adapter_label: str | None):
    """(backend or None, None) or (None, message): the draft engine for the chosen adapter, None = the plain model."""
    if not adapter_label or adapter_label == ADAPTER_OFF:
        return None, None
    hooks = adapters()
    try:
        model = admitted(model)
    except ModelError as err:
        return None, str(err)
    names = {label_of(k): k for k in hooks.find(model)} if hooks else {}  # the toggle shows labels
    # a known label with nothing shipped for this model gets the adapter package's own sentence ("There is no ...")
    name = names.get(adapter_label) or next((k for k, v in ADAPTERS.items() if v == adapter_label), None)
    if name is None:
        known = ", ".join(names) if names else "none for this model"
        return None, f"Unknown adapter '{adapter_label}': choose one of {known}, or off."
    try:
        return hooks.draft_backend(model, name), None
    except UserError as err:  # the adapter's or the model's sentence
        return None, str(err)
    except Exception as err:  # noqa: BLE001 — still a sentence for the user
        log.exception("adapter load failed")
        return None, f"The {adapter_label} could not be loaded: {type(err).__name__}: {err}"


def preload_adapter(model: str, adapter_label: str | None) -> None:
    """When the toggle moves: load the adapter's draft engine in the background (its model process starts in a few
    seconds; its llama.cpp file is built once), so that Run finds it ready. A failure is shown by Run, as before."""
    if adapter_label and adapter_label != ADAPTER_OFF:
        threading.Thread(target=load_draft_backend, args=(model, adapter_label), daemon=True,
                         name="irg-adapter-preload").start()


def load_engines(model: str, adapter: str | None, session: str | None = None, runs: int = 1):
    """(backend, drafter, None), or (None, None, (message HTML, status)) when the model or the adapter cannot load,
    or (public mode) the session's run allowance is spent; the `runs` about to start are counted against it."""
    backend, err = load_model(model)
    if err:
        return None, None, (message(err), "⚠ the model did not load")
    drafter, err = load_draft_backend(model, adapter)
    if err:
        return None, None, (message(err), "⚠ the adapter did not load")
    try:
        count_runs(session, runs)
    except UserError as err:
        return None, None, (message(str(err)), "⚠ nothing was run")
    return backend, drafter, None


def model_status(model: str) -> Iterator[str]:
    yield f"Loading `{model}`… (the first load of a model converts it once; later loads take about a second)"
    t = time.perf_counter()
    backend, err = load_model(model)
    if err:
        yield f"⚠ {err}"
    else:
        yield (f"✔ `{backend.model_id}` ready on {backend.name} ({backend.context_length:,}-token context) · "
               f"{time.perf_counter() - t:.1f} s")


def message(text: str) -> str:
    return f"<div class='irg-error'>⚠ {html.escape(text)}</div>"


def note(text: str) -> str:
    """An informative line above a run (not an error): "" for no text."""
    return f"<div class='irg-note'>ℹ {html.escape(text)}</div>" if text else ""


def warm_up() -> threading.Thread:
    """Load the prompt reader's embedding model in the background (a few seconds, once per process)."""
    from irg.engine.constraints.detect import warm

    t = threading.Thread(target=warm, name="irg-warm-detector", daemon=True)
    t.start()
    return t


def launch_options(env: dict | None = None) -> dict:
    """Where the app listens: GRADIO_SERVER_NAME / GRADIO_SERVER_PORT when set (a Space, a second instance), else
    127.0.0.1 and the first free port from 7860. A port that is not a number is a sentence, not a traceback."""
    import os

    env = os.environ if env is None else env
    port = env.get("GRADIO_SERVER_PORT", "").strip()
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise SystemExit(f"GRADIO_SERVER_PORT must be a port number between 1 and 65535, not {port!r}.")
    return {"server_name": env.get("GRADIO_SERVER_NAME", "").strip() or "127.0.0.1",
            "server_port": int(port) if port else None}
