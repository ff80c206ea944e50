"""Tuning the draft model, in four rooms:

    adapters/   the GAN-tuned embedding adapter, its LoRA baseline, their llama.cpp files and the shipped ones
    distill/    distillation with feedback: a teacher's worked solutions, checked, taught to a student
    loop/       the loop as a teacher: students learn in one pass what irg_hybrid did in many
    dpo.py      DPO on preference pairs from IRG trajectories

The engine never imports it; the app, the CLI and the benchmarks load tuning.adapters.shipped as a plugin (the
`irg.plugins` entry point), which registers the shipped adapters with the engine's hooks.

Moved in issue 36 (the old commands stay for one turn as aliases): `python -m tuning.compare` is now
`python -m tuning.adapters.compare`, `python -m tuning.loop_students` is now `python -m tuning.loop`.
"""
