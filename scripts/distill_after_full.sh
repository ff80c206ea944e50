#!/bin/bash
# issue 40, ninth session: full fine-tuning of the blocks (--method full) on kept-r3, its best dev point on the test
# sets, one pass (the same settings as the LoRA students' runs in assets/results/distill_loop/converged/).
# One model job at a time.
cd "$(dirname "$0")/.."
while pgrep -f "tuning.loop curve" > /dev/null; do sleep 20; done
R=full-lr5e-05-b8-s0-kept-r3
G=runs/distill_loop/gguf/curve-$R.gguf
E=runs/distill_loop/eval
S="--budget 1500 --workers 2"
echo "=== $(date) merge $R"
[ -f $G ] || .venv/bin/python -m tuning.loop merge --lora runs/distill_loop/curves/$R/best --out $G
echo "=== $(date) constraints test, full student, one pass"
.venv/bin/python -m irg.bench quality --suite constraints --split test --n 100 --strategies single_pass $S --model $G --out $E/constraints/full-one
echo "=== $(date) heldout2, full student, one pass"
.venv/bin/python -m irg.bench quality --suite phrasings --data assets/phrasings/heldout2.jsonl --n 100 --strategies single_pass $S --model $G --out $E/heldout2/full-one
echo "=== $(date) open_qa, full student, one pass"
.venv/bin/python -m irg.bench quality --suite open_qa --split test --n 36 --strategies single_pass $S --model $G --out $E/open_qa/full-one
echo "=== done $(date)"
