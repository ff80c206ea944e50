"""The "How IRG works" tab's text: what the loop does, what the charts mean, how to compare fairly. Plain words for a
classroom; the app adds the loop-as-teacher table and the students' learning curves below it (from tuning/, when
installed)."""

HOW_IT_WORKS = """
## How IRG works

**Iterative Reflexive Generation** gives a small model extra *passes* instead of extra *parameters*.
One loop, three modules:

1. **Draft** — the model answers the request (the first draft is exactly what a single pass would give).
2. **Analyse and reflect** — the draft's weaknesses are listed, each with a severity and a source:
   - **rule** findings come from deterministic checks: lowercase, commas, word and sentence counts, bullet points,
     keywords, forbidden words, JSON, start/end phrases, every arithmetic step `a + b = c`, repetition, a cut-off end;
   - **model** findings come from the same model prompted as a critic (*internal* reflection).
   *External* uses rules only, *internal* the model only, *hybrid* both: rules decide what they can check, and
   once they find nothing critical the model comments on meaning (asking it earlier costs tokens it cannot repay). \
Small models are poor judges of their own work — a 135M model usually gives
   its own draft 10/10 — which is why rules decide where they can.
3. **Plan** — each problem becomes an instruction for the next draft (template rules, or a plan the model writes),
   and where possible a **decoding constraint** the model cannot break: commas or capitals banned outright,
   a forced first word, a minimum length.

**The loop stops** when no critical problem is left, after the maximum number of iterations, at the time limit,
or when the token budget is spent (every token read and written counts: drafts, critiques and plans).
The answer shown is the best-scoring draft (or the last one, if you choose).

**The charts.** *Quality vs iteration*: the score of each draft (0 = every check failed, 1 = all passed).
With a classroom example, the dashed line is the *answer key* — the example's own constraints and exact result,
independent of what the run thought of itself. *Quality vs tokens* is the **anytime curve**: how good the best
answer so far is after spending that many tokens. The ★ is the single pass (the first draft at its own cost).
The **Anytime Index** is the quality gained per 1,000 extra tokens: how much each extra pass bought.

**Compare fairly.** Extra passes cost tokens, so compare with a baseline given the same budget: *best-of-N* draws
N answers at once and keeps the best by the rules; *self-consistency* keeps the majority answer. Set a token
budget and try each strategy on the same example.
"""
