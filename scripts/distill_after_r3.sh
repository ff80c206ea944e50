#!/bin/bash
# issue 40, seventh session: after the chosen recipe's curve on kept-r3, its best point on the test sets; then the
# converged GAN and MLE students on heldout2 and open QA; then issue 38's heldout2 run on the current reader.
# One model job at a time.
cd "$(dirname "$0")/.."
while pgrep -f "tuning.loop curve" > /dev/null; do sleep 20; done
R=r16-all-lr0.001-b8-s0-kept-r3
G=runs/distill_loop/gguf/curve-$R.gguf
E=runs/distill_loop/eval
S="--budget 1500 --workers 2"
echo "=== $(date) merge $R"
[ -f $G ] || .venv/bin/python -m tuning.loop merge --lora runs/distill_loop/curves/$R/best --out $G
echo "=== $(date) constraints test, r3 student, one pass"
.venv/bin/python -m irg.bench quality --suite constraints --split test --n 100 --strategies single_pass $S --model $G --out $E/constraints/r3-one
echo "=== $(date) heldout2, r3 student, one pass"
.venv/bin/python -m irg.bench quality --suite phrasings --data assets/phrasings/heldout2.jsonl --n 100 --strategies single_pass $S --model $G --out $E/heldout2/r3-one
echo "=== $(date) open_qa, r3 student, one pass"
.venv/bin/python -m irg.bench quality --suite open_qa --split test --n 36 --strategies single_pass $S --model $G --out $E/open_qa/r3-one
for s in gan-adv40 mle-best; do
  echo "=== $(date) heldout2 + open_qa, $s"
  .venv/bin/python -m irg.bench quality --suite phrasings --data assets/phrasings/heldout2.jsonl --n 100 --strategies single_pass $S --model runs/distill_loop/gguf/$s.gguf --out $E/heldout2/$s-one
  .venv/bin/python -m irg.bench quality --suite open_qa --split test --n 36 --strategies single_pass $S --model runs/distill_loop/gguf/$s.gguf --out $E/open_qa/$s-one
done
echo "=== done $(date)"
