"""Every classroom example as a new user meets it: `python -m irg.bench presets [--out F] [--screenshots DIR]`.

Launches the app in this process on the bundled model and, in Debian's Chromium, picks each preset from the
dropdown (which also sets its strategy and adapter), clicks Run and waits for the end. What the page shows is read
back — the status line, the final answer, its answer-key line — and judged by the same code the engine uses: is
the final debris or a non-answer (irg/engine/degenerate.py), does it meet the key (whose constraints include the
form a preset names: three bullet points, one sentence). The browser test asserts the same judgement
(`test_every_classroom_example_ends_in_an_answer_a_teacher_would_show` in tests/browser/test_browser.py).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from irg.engine.degenerate import degeneration
from irg.views import presets


def run_preset(pg, p: presets.Preset, screenshot: str | None = None) -> dict:
    """Pick preset `p`, run it with its defaults, and read the end back from the page."""
    from irg.bench.app import _click_and_time, pick_preset

    pick_preset(pg, p.title)
    strategy = pg.input_value("#strategy input")
    t0 = time.perf_counter()
    timing = _click_and_time(pg, "#run", "done")  # "✔ done: …", or "⚠ done, no usable answer: …"
    answer = pg.inner_text("#final .irg-answer").strip() if pg.locator("#final .irg-answer").count() else ""
    keys = pg.locator("#final .irg-key").all_inner_texts()
    key_line = next((k for k in keys if k.startswith("Answer key")), "")
    notice = pg.locator("#final .irg-unusable").all_inner_texts()
    if screenshot:
        pg.locator("#final").screenshot(path=screenshot)
    return {"id": p.id, "title": p.title, "strategy": strategy, "status": timing.get("status", ""),
            "seconds": round(time.perf_counter() - t0, 1), "iterations": timing.get("iterations"),
            "final": answer, "key_shown": key_line, "unusable_notice": notice[0] if notice else "", **judge(p, answer)}


def judge(p: presets.Preset, answer: str) -> dict:
    """The final judged by this checkout's code: debris (or a non-answer) or not, and its answer key. (A run recorded
    by an older checkout is judged again with `judge`.)"""
    check = p.check(answer) if answer else {"met": 0, "total": len(p.constraints) + (p.answer is not None)}
    return {"degenerate": (degeneration(answer) or "") if answer else "no answer", "key_met": check["met"],
            "key_total": check["total"], "key_expected_to_fail": p.key_may_fail}


def passes(r: dict) -> bool:
    """What the browser test asks of a preset's end: real text, the form it names, and its key met (unless the
    preset exists to show the key rejecting what the rules accept)."""
    return not r["degenerate"] and (r["key_expected_to_fail"] or r["key_met"] == r["key_total"])


def measure(chromium: str, screenshots: str | None = None, only: list[str] | None = None) -> list[dict]:
    from irg.bench.app import app_in_chromium

    out = []
    with app_in_chromium(chromium) as pg:
        for p in presets.load():
            if only and p.id not in only:
                continue
            shot = str(Path(screenshots) / f"preset-{p.id}.png") if screenshots else None
            r = run_preset(pg, p, shot)
            print(f"  {p.id:>18}: {r['status'][:60]!r:64} degenerate={bool(r['degenerate'])} "
                  f"key {r['key_met']}/{r['key_total']} {'PASS' if passes(r) else 'FAIL'}", flush=True)
            out.append(r)
    return out


def add_parser(sub) -> None:
    ps = sub.add_parser("presets",
                        help="every classroom example run in Chromium: final, stop, debris, answer key (issue 35)")
    ps.add_argument("--chromium", default="/usr/bin/chromium")
    ps.add_argument("--out", help="write the table as JSON here")
    ps.add_argument("--screenshots", help="save a screenshot of each final answer in this folder")
    ps.add_argument("--only", action="append", help="run only this preset id (repeat)")
    ps.set_defaults(func=lambda a: main(a.chromium, a.out, a.screenshots, a.only))


def main(chromium: str, out: str | None, screenshots: str | None, only: list[str] | None) -> int:
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
    rs = measure(chromium, screenshots, only)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(rs, indent=1, ensure_ascii=False))
    print(f"{sum(passes(r) for r in rs)}/{len(rs)} presets end in a usable answer")
    return 0
