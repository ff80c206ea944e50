"""The app's tabs, as a registry: title -> a builder `(page) -> None` that lays out the tab's components and wires
its events. app.py's `build_demo()` opens one `gr.Tab(title)` per entry, in registration order, and calls the
builder inside it. `page` is what the tabs share: `page.demo` (the Blocks) and `page.run` (the Run tab's controls:
model, adapter, strategy and the advanced settings, which Compare and Experiments read).

A new tab is one file with one builder registered here (`@TABS.register("My tab")`) that app.py imports, or any
module a plugin loads before `build_demo()`. This module does not import gradio: a tab's page logic lives in a
module under irg/views/ like the others, its components in its builder.
"""
from __future__ import annotations

from irg.engine.registry import Registry

TABS: Registry = Registry("tab")
