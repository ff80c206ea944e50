#!/bin/bash
# issue 40, tenth session: full fine-tuning rerun from float32 weights (a79d22e). Waits for the 1.5-epoch dev point,
# stops the run there (the session's time; the ninth session's run was stopped at the same place), merges the best
# point and runs it in one pass on the test sets with the same settings as the ninth session's (distill_after_full.sh).
# One model job at a time.
cd "$(dirname "$0")/.."
R=full-lr5e-05-b8-s0-kept-r3
C=runs/distill_loop/curves/$R/curve.json
until python3 -c "import json,sys; sys.exit(0 if any(p['step']>=345 for p in json.load(open('$C'))['points']) else 1)" 2>/dev/null; do sleep 15; done
pkill -f "tuning.loop curve" ; sleep 5
G=runs/distill_loop/gguf/curve-$R-f32.gguf
E=runs/distill_loop/eval
S="--budget 1500 --workers 2"
echo "=== $(date) merge $R"
.venv/bin/python -m tuning.loop merge --lora runs/distill_loop/curves/$R/best --out $G
echo "=== $(date) constraints test, full student (float32), one pass"
.venv/bin/python -m irg.bench quality --suite constraints --split test --n 100 --strategies single_pass $S --model $G --out $E/constraints/full32-one
echo "=== $(date) heldout2"
.venv/bin/python -m irg.bench quality --suite phrasings --data assets/phrasings/heldout2.jsonl --n 100 --strategies single_pass $S --model $G --out $E/heldout2/full32-one
echo "=== $(date) open_qa"
.venv/bin/python -m irg.bench quality --suite open_qa --split test --n 36 --strategies single_pass $S --model $G --out $E/open_qa/full32-one
echo "=== done $(date)"
