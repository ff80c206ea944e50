"""ROUGE-1/2/L/Lsum as a local `evaluate` metric module (evaluate.load cannot reach the hub here).

Same computation as the hub's `rouge` module: Google's rouge_score with Porter stemming,
F-measure, averaged over the pairs (or per pair with use_aggregator=False).
"""
import datasets
import evaluate
from rouge_score import rouge_scorer

_DESCRIPTION = "ROUGE-1, ROUGE-2 and ROUGE-L F-measures between predictions and references (rouge_score, stemmed)."
_KWARGS = """
Args:
    predictions: list of strings.
    references: list of strings, one per prediction.
    rouge_types: subset of ["rouge1", "rouge2", "rougeL", "rougeLsum"] (default the first three;
        rougeLsum splits on newlines, as the hub module does).
    use_aggregator: mean over pairs (True, default) or a list per pair (False).
    use_stemmer: Porter stemming (default True).
Returns: {"rouge1": ..., "rouge2": ..., "rougeL": ...}
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS)
class Rouge(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION, citation="Lin, 2004. ROUGE: a package for automatic evaluation of summaries.",
            inputs_description=_KWARGS,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}))

    def _compute(self, predictions, references, rouge_types=None, use_aggregator=True, use_stemmer=True):
        rouge_types = rouge_types or ["rouge1", "rouge2", "rougeL"]
        scorer = rouge_scorer.RougeScorer(rouge_types, use_stemmer=use_stemmer)
        per = [scorer.score(ref, pred) for pred, ref in zip(predictions, references)]
        out = {t: [s[t].fmeasure for s in per] for t in rouge_types}
        if use_aggregator:
            out = {t: (sum(v) / len(v) if v else 0.0) for t, v in out.items()}
        return out
