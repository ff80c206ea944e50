"""What a user of the app waits for, measured in a real Chromium: `python -m irg.bench app [--runs N]`.

Launches the app in this process on the bundled model and drives it with Playwright
(a dev dependency) and Debian's Chromium. Times are taken with the page's own clock
(performance.now()) from the click to what appears on screen:
  - Run -> first streamed draft token (the first draft text painted in iteration 1),
  - Run -> done for the irg_hybrid preset runs (with how many iterations each ran),
  - Stop -> the run reported as stopped, with the generation halted,
  - Compare mode: Compare -> the first draft text in each column (three strategies at once), and the whole comparison.
The first run of the process includes loading the model; it is reported apart.
"""
from __future__ import annotations

import json
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

# Headless as root in a closed network: no sandbox, no GPU, no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# Clicks Run (or Stop) and records, on the page's clock, when the first draft text and the end appear.
CLICK_AND_TIME = """([button, until]) => {
  const status = document.querySelector('#status');
  const t = window.__timing = {};
  let reset = button === '#stop', fresh = button === '#stop';  // a Run first clears the page of the last run
  const obs = new MutationObserver(() => {
    const cards = document.querySelector('#cards');  // absent until the first run reveals the results
    const d = cards && cards.querySelector(".irg-card[data-iteration='1'] .irg-text");
    const text = d ? d.textContent.trim() : '';
    if (!text || text === '…') reset = true;
    if (reset && t.first === undefined && text && text !== '…') t.first = performance.now() - t0;
    if (/loading|running/.test(status.innerText)) fresh = true;
    if (fresh && status.innerText.includes(until)) {
      t.done = performance.now() - t0;
      t.iterations = cards ? cards.querySelectorAll('.irg-card').length : 0;
      t.status = status.innerText;
      obs.disconnect();
    }
  });
  obs.observe(document.body, {childList: true, subtree: true, characterData: true});
  const t0 = performance.now();
  document.querySelector(button).click();
}"""


# Compare mode: clicks Compare (or Stop all) and records, per column, when its first draft text appears, and the end.
COMPARE_AND_TIME = """([button, until]) => {
  const status = document.querySelector('#cmp-status');
  const t = window.__cmp = {first: {}};
  let fresh = button === '#cmp-stop';
  const obs = new MutationObserver(() => {
    document.querySelectorAll('#cmp-columns .irg-col').forEach(col => {
      const d = col.querySelector(".irg-card[data-iteration='1'] .irg-text");
      const text = d ? d.textContent.trim() : '';
      const name = col.dataset.strategy;
      if (fresh && t.first[name] === undefined && text && text !== '…') t.first[name] = performance.now() - t0;
    });
    if (/loading|running/.test(status.innerText)) fresh = true;
    if (fresh && status.innerText.includes(until)) {
      t.done = performance.now() - t0;
      t.status = status.innerText;
      t.stopped = [...document.querySelectorAll('#cmp-columns .irg-col')].map(c => [c.dataset.strategy,
        (c.querySelector('.irg-stop') || {innerText: ''}).innerText]);
      obs.disconnect();
    }
  });
  obs.observe(document.body, {childList: true, subtree: true, characterData: true});
  const t0 = performance.now();
  document.querySelector(button).click();
}"""


def compare_and_time(pg, button: str = "#cmp-run", until: str = "✔ done") -> dict:
    """Click Compare (or Stop all) on the Compare tab; per-column first-token times and the end, page clock (ms)."""
    pg.evaluate(COMPARE_AND_TIME, [button, until])
    pg.wait_for_function("() => window.__cmp.done !== undefined", timeout=300_000)
    return pg.evaluate("() => window.__cmp")


def pick_card(pg, container: str, title: str, prompt_box: str) -> None:
    """Click a classroom example card and wait for its prompt to fill the box."""
    from irg.views import presets

    pg.locator(container).get_by_text(title, exact=True).click()
    want = presets.by_title(title).prompt
    pg.wait_for_function("([sel, want]) => document.querySelector(sel + ' textarea').value === want",
                         arg=[prompt_box, want])


def measure_compare(pg, runs: int, title: str = "Exactly three bullet points") -> dict:
    """The default comparison (single_pass, best_of_n, irg_hybrid at 1,500 tokens each) on a preset, `runs` times."""
    pg.get_by_role("tab", name="Compare").click()
    pick_card(pg, "#cmp-examples", title, "#cmp-prompt")
    rs = []
    for _ in range(runs):
        r = compare_and_time(pg)
        rs.append(r)
        print("  compare: first token " + ", ".join(f"{k} {v:.0f} ms" for k, v in r["first"].items())
              + f"; done {r['done'] / 1000:.1f} s", flush=True)
    names = list(rs[0]["first"])
    return {"preset": title, "runs": rs, "seconds_median": statistics.median(r["done"] for r in rs) / 1000,
            "seconds_range": [min(r["done"] for r in rs) / 1000, max(r["done"] for r in rs) / 1000],
            "first_token_ms_median": {n: statistics.median(r["first"][n] for r in rs if n in r["first"])
                                      for n in names},
            "first_token_ms_range": {n: [min(r["first"][n] for r in rs if n in r["first"]),
                                         max(r["first"][n] for r in rs if n in r["first"])] for n in names}}


def _click_and_time(pg, button: str, until: str) -> dict:
    pg.evaluate(CLICK_AND_TIME, [button, until])
    pg.wait_for_function("() => window.__timing.done !== undefined", timeout=300_000)
    return pg.evaluate("() => window.__timing")


def open_tab(pg, name: str) -> None:
    """Click a tab; on a narrow screen Gradio moves the last tabs into a "More tabs" menu."""
    tab = pg.get_by_role("tab", name=name)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
        return
    pg.click("button[aria-label='More tabs']")
    pg.locator(".overflow-dropdown button", has_text=name).click()


def pick_preset(pg, title: str) -> None:
    from irg.views import presets

    pg.locator("#preset input").click()
    pg.get_by_role("option", name=title).click()
    want = presets.by_title(title).prompt
    pg.wait_for_function("(want) => document.querySelector('#prompt textarea').value === want", arg=want)


def _run(pg, label: str) -> dict:
    r = _click_and_time(pg, "#run", "✔ done")
    print(f"  {label}: first token {r.get('first', float('nan')):.0f} ms, done {r['done'] / 1000:.1f} s, "
          f"{r['iterations']} iterations", flush=True)
    return r


@contextmanager
def app_in_chromium(chromium: str = "/usr/bin/chromium", timeout_ms: int = 300_000):
    """The app launched in this process on a free port, open in a headless Chromium page."""
    from playwright.sync_api import sync_playwright

    import app

    demo = app.build_demo()
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            pg.set_default_timeout(timeout_ms)
            pg.goto(url)
            pg.wait_for_selector("#run")
            yield pg
            browser.close()
    finally:
        demo.close()


def measure(runs: int, chromium: str, screenshot: str | None) -> dict:
    out: dict = {"runs": runs}
    with app_in_chromium(chromium) as pg:
        pick_preset(pg, "Lowercase forest, no commas")
        out["cold_first_run"] = _run(pg, "cold")  # includes loading the model
        forest = [_run(pg, "forest") for _ in range(runs)]
        out["forest"] = forest
        out["run_to_first_token_ms"] = statistics.median(r["first"] for r in forest)
        if screenshot:
            pg.screenshot(path=screenshot, full_page=True)
        for title in ("Maths: pocket money", "Forbidden words"):
            pick_preset(pg, title)
            rs = [_run(pg, title) for _ in range(runs)]
            out[title] = {"median_seconds": statistics.median(r["done"] for r in rs) / 1000,
                          "iterations": [r["iterations"] for r in rs],
                          "run_to_first_token_ms": statistics.median(r["first"] for r in rs)}
        # Stop: a long draft, Stop pressed once text is streaming
        stops = []
        for _ in range(runs):
            pg.fill("#prompt textarea", "Write a long story about a lighthouse keeper and a storm, with many details.")
            pg.click("#run")
            pg.wait_for_function("() => { const d = "
                                 "document.querySelector(\"#cards .irg-card[data-iteration='1'] .irg-text\");"
                                 " return d && d.textContent.length > 40; }")
            stops.append(_click_and_time(pg, "#stop", "stopped by you"))
            print(f"  stop: {stops[-1]['done']:.0f} ms", flush=True)
        out["stop_to_stopped_ms"] = statistics.median(s["done"] for s in stops)
        out["stops"] = stops
        out["compare"] = measure_compare(pg, runs)
    return out


def busy(runs: int, chromium: str, burner: bool, adapter: str | None = None) -> dict:
    """Run -> first token and done on the forest preset, optionally with an adapter on and with a CPU burner
    (`while 1: pass`) running beside the app after the cold run (issue 25: a neighbour on a shared machine)."""
    import subprocess
    import sys

    out: dict = {"runs": runs, "burner": burner, "adapter": adapter or "off"}
    with app_in_chromium(chromium) as pg:
        pick_preset(pg, "Lowercase forest, no commas")
        if adapter:
            pg.locator("#adapter").get_by_text(adapter, exact=True).click()
        out["cold_first_run"] = _run(pg, "cold")  # the model (and the adapter's) loaded, before the burner starts
        neighbour = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if burner else None
        try:
            # the burner is under way (the threads switch once the model works beside it)
            time.sleep(2 if burner else 0)
            rs = [_first_then_stop(pg) if burner else _run(pg, "forest") for _ in range(runs)]
        finally:
            if neighbour is not None:
                neighbour.kill()
                neighbour.wait()
    out["forest"] = rs
    out["run_to_first_token_ms"] = statistics.median(r["first"] for r in rs)
    if not burner:
        out["run_seconds_median"] = statistics.median(r["done"] for r in rs) / 1000
    print(f"Run -> first token {out['run_to_first_token_ms']:.0f} ms (median of {runs}; burner "
          f"{'on: each run stopped after its first token' if burner else 'off'}, adapter {out['adapter']})", flush=True)
    return out


def _first_then_stop(pg) -> dict:
    """Run -> the first draft token; then Stop (a whole run beside a burner can take minutes with the old settings)."""
    pg.evaluate(CLICK_AND_TIME, ["#run", "✔ done"])
    pg.wait_for_function("() => window.__timing.first !== undefined", timeout=600_000)
    first = pg.evaluate("() => window.__timing.first")
    stop = _click_and_time(pg, "#stop", "stopped by you")
    print(f"  burner: first token {first:.0f} ms, stopped {stop['done']:.0f} ms later", flush=True)
    return {"first": first, "stop_ms": stop["done"]}


def print_report(r: dict) -> None:
    print(f"cold first run (model load included): Run -> first token {r['cold_first_run']['first'] / 1000:.2f} s, "
          f"done in {r['cold_first_run']['done'] / 1000:.1f} s")
    print(f"warm, median of {r['runs']}: Run -> first streamed token {r['run_to_first_token_ms']:.0f} ms "
          "(forest preset)")
    for title in ("Maths: pocket money", "Forbidden words"):
        x = r[title]
        print(f"irg_hybrid on '{title}': {x['median_seconds']:.1f} s, iterations {x['iterations']}, "
              f"first token {x['run_to_first_token_ms']:.0f} ms")
    print(f"Stop -> run shown as stopped: {r['stop_to_stopped_ms']:.0f} ms (median)")
    c = r["compare"]
    print(f"Compare (default three strategies, '{c['preset']}'): Run -> first token per column "
          + ", ".join(f"{n} {v:.0f} ms" for n, v in c["first_token_ms_median"].items())
          + f"; whole comparison {c['seconds_median']:.1f} s (median of {len(c['runs'])})")


def no_chromium(chromium: str) -> str | None:
    """Why the browser benchmarks cannot run, if they cannot."""
    return None if Path(chromium).exists() else f"Chromium is not at {chromium}: install Debian's 'chromium' package."


def main(runs: int, chromium: str, out: str | None, screenshot: str | None) -> int:
    if why := no_chromium(chromium):
        print(why)
        return 2
    t = time.perf_counter()
    r = measure(runs, chromium, screenshot)
    r["wall_seconds"] = round(time.perf_counter() - t, 1)
    print_report(r)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(r, indent=2))
    return 0
