#!/bin/bash
# issue 40, twelfth session: the float32 full fine-tuning run to its end (2 epochs, 460 steps; the tenth session
# stopped it at 1.5 epochs and reached the 2-epoch dev point only after its test runs). Waits for the run to finish,
# merges the point the curve chose on dev (its best/) and runs it in one pass on the three test sets with the same
# settings as distill_after_full32.sh. One model job at a time.
cd "$(dirname "$0")/.."
R=full-lr5e-05-b8-s0-kept-r3
while pgrep -f "tuning.loop curve" >/dev/null; do sleep 20; done
G=runs/distill_loop/gguf/curve-$R-f32-2ep.gguf
E=runs/distill_loop/eval
S="--budget 1500 --workers 2"
echo "=== $(date) merge $R (best point on dev)"
.venv/bin/python -m tuning.loop merge --lora runs/distill_loop/curves/$R/best --out $G
echo "=== $(date) constraints test, full student (float32, 2 epochs), one pass"
.venv/bin/python -m irg.bench quality --suite constraints --split test --n 100 --strategies single_pass $S --model $G --out $E/constraints/full32-2ep-one
echo "=== $(date) heldout2"
.venv/bin/python -m irg.bench quality --suite phrasings --data assets/phrasings/heldout2.jsonl --n 100 --strategies single_pass $S --model $G --out $E/heldout2/full32-2ep-one
echo "=== $(date) open_qa"
.venv/bin/python -m irg.bench quality --suite open_qa --split test --n 36 --strategies single_pass $S --model $G --out $E/open_qa/full32-2ep-one
echo "=== done $(date)"
