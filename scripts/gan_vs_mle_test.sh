#!/bin/sh
# Issue 40: the embedding adapter by MLE (its best dev point, 177 steps) and after 40 adversarial steps (the best
# adversarial dev point), one pass on the constraints test split, as the shipped LoRA student was measured
# (runs/distill_loop/measure.sh). Needs the learning curves' adapters in runs/distill_loop/curves/.
set -e
PY=.venv/bin/python
C=runs/distill_loop/curves
E=runs/distill_loop/eval/constraints
$PY -m tuning.loop merge --lora $C/mle-lr0.001-b8-s0/best --out runs/distill_loop/gguf/mle-best.gguf
$PY -m tuning.loop merge --lora $C/mle-lr0.001-b8-s0-adv60/step40 --out runs/distill_loop/gguf/gan-adv40.gguf
for s in mle-best:mle-one gan-adv40:gan-one; do
  $PY -m irg.bench quality --suite constraints --split test --n 100 --strategies single_pass --budget 1500 \
      --workers 2 --model runs/distill_loop/gguf/${s%%:*}.gguf --out $E/${s##*:}
  mkdir -p assets/results/distill_loop/converged/constraints-${s##*:}
  cp $E/${s##*:}/results.jsonl $E/${s##*:}/settings.json $E/${s##*:}/summary.json \
     assets/results/distill_loop/converged/constraints-${s##*:}/
done
$PY scripts/gan_vs_mle.py --test
