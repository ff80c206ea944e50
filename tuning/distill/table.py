"""Distillation, stage 5 — the table — and shipping the best student.

Reads only the run folder the earlier stages left (teacher.jsonl, feedback_log.jsonl, students/<variant>.json,
peak_rss.jsonl): accuracy on train / validation / test for base and the three students with bootstrap CIs and
paired sign tests against base, rationale lengths, training time, peak RSS, plotly loss curves; then, if a student
beats the base model, copies it into assets/adapters as a model choice. Nothing here trains or generates, so the
report can be rebuilt from a finished run without a model.
"""
from __future__ import annotations

import json
from pathlib import Path

from irg.evaluation.summary import bootstrap_ci, sign_test
from tuning.distill.problems import VARIANTS, DistillConfig, _jsonl, problems

STUDENT_NAME = "bundled-maths-student"


# ---- 5. the table --------------------------------------------------------------------------------------
def paired(a: list[int], b: list[int], seed: int = 0) -> dict:
    """Variant minus base on the same problems: mean difference, bootstrap 95% CI, exact sign test."""
    d = [x - y for x, y in zip(a, b)]
    wins, losses = sum(x > 0 for x in d), sum(x < 0 for x in d)
    lo, hi = bootstrap_ci(d, seed=seed)
    return {"n": len(d), "diff": round(sum(d) / len(d), 4) if d else None, "ci": [round(lo, 4), round(hi, 4)],
            "wins": wins, "losses": losses, "p_sign_test": round(sign_test(wins, losses), 4)}


def summarise(out: Path, cfg: DistillConfig) -> dict:
    taught = _jsonl(out / "teacher.jsonl")
    fb_log = _jsonl(out / "feedback_log.jsonl")
    results = {v: json.loads((out / "students" / f"{v}.json").read_text()) for v in ("base", *VARIANTS)
               if (out / "students" / f"{v}.json").exists()}
    actions: dict[str, int] = {}
    for r in fb_log:
        for c in r["changes"]:
            actions[c["action"]] = actions.get(c["action"], 0) + 1
    reasons: dict[str, int] = {}
    for r in fb_log:
        if not r["accepted"]:
            key = r["reason"].split(":")[0].split(" ")[0:2]
            reasons[" ".join(key)] = reasons.get(" ".join(key), 0) + 1
    n = max(1, len(taught))
    right = sum(r["teacher_answer"] == r["answer"] for r in taught)
    summary = {"config": cfg.to_dict(),
               "teacher": {"problems": len(taught),
                           "final_answer_correct": round(right / n, 4),
                           "mean_iterations": round(sum(r["iterations"] for r in taught) / n, 2),
                           "mean_tokens": round(sum(r["tokens"] or 0 for r in taught) / n, 1),
                           "mean_seconds": round(sum(r["seconds"] or 0 for r in taught) / n, 2)},
               "feedback": {"accepted": sum(r["accepted"] for r in fb_log), "of": len(fb_log),
                            "accepted_from_final_answer": sum(r["from_final"] for r in fb_log),
                            "changes": actions, "rejected_because": reasons},
               "models": {}}
    # A separate peak-memory measurement, if one was made (runs before VmHWM was used inherited the parent's peak)
    rss_file = out / "peak_rss.jsonl"
    rss = {r["variant"]: r["peak_rss_mb"] for r in _jsonl(rss_file)}
    summary["peak_rss_source"] = (f"{rss_file.name}: a fresh process per model, 30 training steps + scoring 16 problems"
                                  if rss else "each student's own process (VmHWM)")
    base = results.get("base")
    templates = {r["id"]: r.get("template", "") for split in problems(cfg).values() for r in split}
    for v, r in results.items():
        row = {"train_examples": r["train_examples"], "train_seconds": r["train_seconds"],
               "peak_rss_mb": rss.get(v, r["peak_rss_mb"]), "target_tokens_mean": r["target_tokens_mean"],
               "final_loss": r["loss"][-1]["loss"] if r["loss"] else None}
        for split, sc in r["scores"].items():
            vals = [x["correct"] for x in sc]
            lo, hi = bootstrap_ci(vals)
            row[split] = {"n": len(vals), "accuracy": round(sum(vals) / max(1, len(vals)), 4),
                          "ci": [round(lo, 4), round(hi, 4)]}
            if base is not None and v != "base":
                row[split]["vs_base"] = paired(vals, [x["correct"] for x in base["scores"][split]])
        row["generated_tokens_mean_test"] = round(sum(x["tokens"] for x in r["scores"]["test"])
                                                  / max(1, len(r["scores"]["test"])), 1)
        by_t: dict[str, list[int]] = {}
        for x in r["scores"]["test"]:
            by_t.setdefault(templates.get(x["id"], ""), []).append(x["correct"])
        row["test_by_template"] = {t: f"{sum(c)}/{len(c)}" for t, c in sorted(by_t.items())}
        summary["models"][v] = row
    return summary


def markdown(s: dict, command: str) -> str:
    def acc(cell):
        return f"{cell['accuracy']:.1%} [{cell['ci'][0]:.1%}, {cell['ci'][1]:.1%}]"

    def delta(cell):
        d = cell.get("vs_base")
        return "—" if not d else f"{d['diff']:+.1%} [{d['ci'][0]:+.1%}, {d['ci'][1]:+.1%}], p={d['p_sign_test']:.2g}"

    names = {"base": "base model (no training)", "baseline": "baseline student (answers only)",
             "cot": "CoT student (teacher rationales)", "feedback": "feedback student (checked rationales)"}
    t, f, cfg = s["teacher"], s["feedback"], s["config"]
    ms = s["models"]
    any_row = next(iter(ms.values()), None)
    n = {k: any_row[k]["n"] for k in ("train", "val", "test")} if any_row else {}
    rejected = sorted(f["rejected_because"].items(), key=lambda kv: -kv[1])
    lines = [f"# Distillation with feedback — {cfg['student']} student, teacher: IRG loop on {cfg['teacher']}", "",
             f"Command: `{command}`", "",
             f"Accuracy of one greedy pass (exact final answer), n = {n.get('train')} train / {n.get('val')} "
             f"validation / {n.get('test')} test problems, bootstrap 95% CIs; Δ is paired against the base model on "
             "the same problems (sign test on the discordant ones).", "",
             "| model | train | validation | test | Δ test vs base | training examples | mean target tokens | "
             "mean generated tokens (test) | training time | peak RSS |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for v in ("base", *VARIANTS):
        if v not in ms:
            continue
        r = ms[v]
        lines.append(f"| {names[v]} | {acc(r['train'])} | {acc(r['val'])} | {acc(r['test'])} | {delta(r['test'])} | "
                     f"{r['train_examples'] or '—'} | {r['target_tokens_mean'] or '—'} | "
                     f"{r['generated_tokens_mean_test']} | {r['train_seconds']:.0f} s | "
                     f"{r['peak_rss_mb'] / 1024:.2f} GB |")
    lines += ["", f"Teacher: {t['problems']} training problems, final answer right on {t['final_answer_correct']:.1%} "
              f"(with the gold answer as a rule), {t['mean_iterations']} iterations and {t['mean_tokens']:.0f} tokens "
              f"({t['mean_seconds']:.1f} s) per problem.",
              f"Feedback module: accepted {f['accepted']} of {f['of']} problems "
              f"({f['accepted_from_final_answer']} from the teacher's final answer, the rest from an earlier draft); "
              "changes in the accepted rationales: "
              + (", ".join(f"{k} {v}" for k, v in sorted(f["changes"].items())) or "none")
              + "; rejected because: " + (", ".join(f"{k} {v}" for k, v in rejected) or "—") + ".",
              f"Every student: LoRA r={cfg['lora_r']} on every linear layer, {cfg['steps']} steps × "
              f"{cfg['batch_size']} examples, lr {cfg['lr']}, the engine's draft prompt as input. "
              f"Peak RSS: {s.get('peak_rss_source', '')}."]
    tmpl = sorted({t for r in ms.values() for t in r.get("test_by_template", {})})
    if any(tmpl):
        lines += ["", "Test problems solved, by problem template:", "",
                  "| model | " + " | ".join(tmpl) + " |", "|---|" + "---|" * len(tmpl)]
        for v in ("base", *VARIANTS):
            if v in ms:
                lines.append(f"| {v} | " + " | ".join(ms[v]["test_by_template"].get(t, "—") for t in tmpl) + " |")
    return "\n".join(lines) + "\n"


def loss_figure(s_out: Path):
    import plotly.graph_objects as go

    fig = go.Figure()
    for v in VARIANTS:
        p = s_out / "students" / f"{v}.json"
        if p.exists():
            log = json.loads(p.read_text())["loss"]
            fig.add_trace(go.Scatter(x=[r["step"] for r in log], y=[r["loss"] for r in log], mode="lines", name=v))
    fig.update_layout(title="Student training loss (mean token NLL of the targets)", xaxis_title="optimiser step",
                      yaxis_title="loss", template="plotly_white")
    return fig


# ---- shipping the student -----------------------------------------------------------------------------
def best_student(s: dict) -> tuple[str | None, str]:
    """The variant to ship: the best on the test split among those whose paired 95% CI against base is above 0."""
    ok = [(r["test"]["accuracy"], v) for v, r in s["models"].items()
          if v != "base" and r["test"].get("vs_base") and r["test"]["vs_base"]["ci"][0] > 0]
    if not ok:
        return None, "no student beats the base model on the test split (every paired 95% CI reaches 0 or below)"
    acc, v = max(ok)
    return v, f"the {v} student: test accuracy {acc:.1%}, {s['models'][v]['test']['vs_base']['diff']:+.1%} against base"


def ship_student(out: Path, variant: str, s: dict, dest: Path | None = None, name: str = STUDENT_NAME) -> Path:
    """Copy a trained student into assets/adapters as a model choice (irg.engine.models resolves `name` to it)."""
    # Imported here, not at the top: importing tuning.adapters.shipped registers the shipped adapters and students with
    # the engine, which would change how the teacher's and students' model names resolve for the whole run.
    from tuning.adapters.shipped import ship_model_choice

    meta = {"variant": variant, "made_by": s.get("command", "python -m tuning.distill"), "config": s["config"],
            "results": {v: {k: r[k] for k in ("train", "val", "test") if k in r} for v, r in s["models"].items()}}
    return ship_model_choice(out / "students" / variant, "smollm2-135m-maths-student", name, s["config"]["student"],
                             meta, dest)
