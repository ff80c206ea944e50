"""Issue 15: a batch loses nothing and never crashes — each bad line, bad constraint, bad id or failing run costs
that line only, resumes repair a torn last line, and every bad input is one clear sentence."""
import json
import math
import subprocess
import sys

import pytest

from irg.engine.config import ConfigError, RunConfig
from irg.engine.constraints import ConstraintError, conflicts, extract_all, from_dict, negative_counts
from irg.engine.jsonl import read_objects, repair_tail
from irg.views.cli import main

RUN = ["--strategy", "irg_external", "--max-iters", "2", "--max-new-tokens", "5"]


def batch(model_dir, inp, out, *extra):
    return main(["batch", "--in", str(inp), "--out", str(out), "--model", model_dir, *RUN, *extra])


def ids(out):
    return [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]


def test_invalid_utf8_and_deep_nesting_cost_only_their_own_line(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_bytes(b'{"id": "a", "prompt": "Say hi."}\n'
                    b'{"id": "bad", "prompt": "caf\xe9 \xff"}\n'
                    + b"[" * 100_000 + b"\n"
                    + b'{"id": "c", "prompt": "Say bye."}\n')
    assert batch(model_dir, inp, out) == 0
    err = capsys.readouterr().err
    assert "in.jsonl:2: not valid UTF-8" in err and "in.jsonl:3: JSON nested too deeply" in err
    assert ids(out) == ["a", "c"]


@pytest.mark.parametrize("constraints,field", [
    ([None], "must be an object"),
    ([1], "must be an object"),
    ({"kind": ["x"]}, '"constraints" must be a list'),
    ([{"kind": ["word_count"]}], "unknown constraint kind"),
    ([{"kind": "word_count", "rel": "bogus", "n": 5}], "field 'rel'"),
    ([{"kind": "word_count", "n": "five"}], "field 'n'"),
    ([{"kind": "word_count", "n": None}], "field 'n'"),
    ([{"kind": "word_count", "n": -3}], "field 'n'"),
    ([{"kind": "include_keywords", "keywords": None}], "field 'keywords'"),
    ([{"kind": "include_keywords", "keywords": [1, 2]}], "field 'keywords'"),
    ([{"kind": "end_phrase", "phrase": 7}], "field 'phrase'"),
    ([{"kind": "end_phrase", "phrase": None}], "field 'phrase'"),
    ([{"kind": "repeat_request", "request": 3}], "field 'request'"),
    ([{"kind": "final_answer", "value": None}], "field 'value'"),
    ([{"kind": "sections", "n": 2, "marker": None}], "field 'marker'"),
    ([{"kind": "no_commas", "colour": "red"}], "no field 'colour'"),
])
def test_each_bad_constraint_is_refused_with_the_field_named(constraints, field):
    with pytest.raises(ConstraintError, match=field):
        from irg.engine.constraints import from_dicts
        from_dicts(constraints)


def test_human_relation_spelling_is_accepted():
    assert from_dict({"kind": "word_count", "rel": "at least", "n": 5}).rel == "at_least"
    assert from_dict({"kind": "word_count", "rel": "at_most", "n": 5}).rel == "at_most"


def test_bad_constraints_skip_their_line_and_the_batch_goes_on(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [{"id": "ok1", "prompt": "Say hi."},
             {"id": "n1", "prompt": "Say hi.", "constraints": [None]},
             {"id": "n2", "prompt": "Say hi.", "constraints": [{"kind": "word_count", "rel": "at least", "n": "five"}]},
             {"id": "n3", "prompt": "Say hi.", "constraints": [{"kind": "keyword_frequency", "word": None, "n": 2}]},
             {"id": "sur", "prompt": "Say \ud800 hi."},
             {"id": "ok2", "prompt": "Say bye.", "constraints": [{"kind": "word_count", "rel": "at least", "n": 2}]}]
    inp.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert batch(model_dir, inp, out) == 0
    err = capsys.readouterr().err
    assert "in.jsonl:2: constraint 1: Each constraint must be an object" in err
    assert "in.jsonl:3: constraint 1: constraint 'word_count': field 'n'" in err
    assert "in.jsonl:4: constraint 1: constraint 'keyword_frequency': field 'word'" in err
    rows = {json.loads(line)["id"]: json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()}
    assert set(rows) == {"ok1", "sur", "ok2"} and all("error" not in r for r in rows.values())
    assert any("not valid text" in n for n in rows["sur"]["notices"])  # the lone surrogate: replaced and said
    assert rows["ok2"]["constraints"] == [{"kind": "word_count", "rel": "at_least", "n": 2}]


def test_an_unexpected_error_in_one_run_becomes_that_ids_error_record(model_dir, tmp_path, capsys, monkeypatch):
    import irg.engine.strategies

    real = irg.engine.strategies.run

    def flaky(prompt, *a, **k):
        if "boom" in prompt:
            raise RuntimeError("the engine broke on this one")
        return real(prompt, *a, **k)
    monkeypatch.setattr(irg.engine.strategies, "run", flaky)
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "a", "prompt": "Say hi."}\n{"id": "b", "prompt": "boom"}\n'
                   '{"id": "c", "prompt": "Say bye."}\n')
    assert batch(model_dir, inp, out) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["error"] == "RuntimeError: the engine broke on this one" and "error" not in rows[2]
    assert "1 of 3 lines ended in an error" in capsys.readouterr().err


def test_duplicate_and_bad_ids_are_reported_and_run_once(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "a", "prompt": "Say hi."}\n{"id": "a", "prompt": "Say it again."}\n'
                   '{"id": null, "prompt": "Say hi."}\n{"id": 7, "prompt": "Say bye."}\n')
    assert batch(model_dir, inp, out) == 0
    err = capsys.readouterr().err
    assert "in.jsonl:2: duplicate id 'a' (first on line 1)" in err and 'in.jsonl:3: "id" must be' in err
    assert ids(out) == ["a", "7"]


def test_numbers_as_ids_are_one_id_and_not_a_number_is_refused(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": 1, "prompt": "Say hi."}\n{"id": 1.0, "prompt": "Say it again."}\n'
                   '{"id": NaN, "prompt": "Say hi."}\n{"id": Infinity, "prompt": "Say hi."}\n'
                   '{"id": -Infinity, "prompt": "Say hi."}\n{"id": 2.5, "prompt": "Say bye."}\n')
    assert batch(model_dir, inp, out) == 0
    err = capsys.readouterr().err
    assert "in.jsonl:2: duplicate id '1' (first on line 1)" in err
    assert all(f'in.jsonl:{n}: "id" must be a finite number' in err for n in (3, 4, 5))
    assert ids(out) == ["1", "2.5"]


def test_resume_runs_again_a_line_whose_error_was_not_its_own(model_dir, tmp_path, capsys, monkeypatch):
    """Issue 34: an error that was not the line's (here a failure outside it) is marked "retry"; resume runs that
    line again, and summarize reads the line's last record. An error the line caused itself is kept."""
    import irg.engine.strategies
    from irg.engine.errors import BackendError, RequestCrashed

    real = irg.engine.strategies.run
    fail = {"outside": True}

    def flaky(prompt, *a, **k):
        if "outside" in prompt and fail["outside"]:
            raise BackendError("the model process was killed from outside 4 times while this request ran")
        if "own" in prompt:
            raise RequestCrashed("this request crashed the model twice, alone")
        return real(prompt, *a, **k)
    monkeypatch.setattr(irg.engine.strategies, "run", flaky)
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    gold = ', "gold_constraints": [{"kind": "no_commas"}]'
    inp.write_text(f'{{"id": "a", "prompt": "Say hi from outside."{gold}}}\n'
                   f'{{"id": "b", "prompt": "Say your own name."{gold}}}\n')
    assert batch(model_dir, inp, out) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r.get("retry", False)) for r in rows] == [("a", True), ("b", False)]
    fail["outside"] = False
    assert batch(model_dir, inp, out) == 0
    assert "1 already in" in capsys.readouterr().err  # b is done (its own error); a runs again
    assert ids(out) == ["a", "b", "a"] and "error" not in json.loads(out.read_text().splitlines()[-1])
    assert main(["summarize", "--in", str(inp), str(out)]) == 0
    assert "| irg_external | 1 | 1 |" in capsys.readouterr().out  # a scored from its last record, b an error


def test_resume_drops_a_torn_last_line_and_summarize_reads_the_result(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "a", "prompt": "Say hi.", "gold_constraints": [{"kind": "no_commas"}]}\n'
                   '{"id": "b", "prompt": "Say bye.", "gold_constraints": [{"kind": "no_commas"}]}\n')
    assert batch(model_dir, inp, out) == 0
    whole = out.read_text().splitlines()
    out.write_text(whole[0] + "\n" + whole[1][: len(whole[1]) // 2])  # killed while writing b
    assert batch(model_dir, inp, out) == 0
    err = capsys.readouterr().err
    assert "dropped a torn last line" in err and "1 already in" in err
    assert sorted(ids(out)) == ["a", "b"]
    assert main(["summarize", "--in", str(inp), str(out)]) == 0
    assert "| irg_external | 2 | 0 |" in capsys.readouterr().out


def test_repair_tail_cases(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"a": 1}\n{"a": 2}\n')
    assert repair_tail(p) is None and p.read_text() == '{"a": 1}\n{"a": 2}\n'
    p.write_text('{"a": 1}\n{"a": 2}')  # valid JSON but no newline: the writer died before finishing the line
    assert repair_tail(p) and p.read_text() == '{"a": 1}\n'
    p.write_text('{"a": 1')
    assert repair_tail(p) and p.read_text() == ""
    p.write_text('{"a": 1}\n{"a"\n')  # newline written but the JSON is cut: also dropped
    assert repair_tail(p) and p.read_text() == '{"a": 1}\n'


def test_read_objects_reports_non_objects(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('[1, 2]\n"text"\n{"ok": true}\n')
    import io
    err = io.StringIO()
    assert [n for n, _ in read_objects(p, err)] == [3]
    assert "x.jsonl:1: a JSON list, not an object" in err.getvalue()


def test_corrupt_gguf_is_one_sentence_exit_2(tmp_path):
    junk, magic = tmp_path / "junk.gguf", tmp_path / "magic.gguf"
    junk.write_bytes(bytes(range(256)) * 64)
    magic.write_bytes(b"GGUF" + bytes(range(256)) * 64)
    for f, msg in ((junk, "is not a GGUF model file"), (magic, "could not be read")):
        p = subprocess.run([sys.executable, "-m", "irg", "hi", "--model", str(f)], capture_output=True, text=True,
                           timeout=300, env={**__import__("os").environ, "IRG_CACHE_DIR": str(tmp_path / "cache")})
        assert p.returncode == 2 and msg in p.stderr and "Traceback" not in p.stderr, p.stderr[-2000:]


@pytest.mark.parametrize("field,value", [("time_limit", math.inf), ("time_limit", 1e300), ("time_limit", math.nan),
                                         ("budget", math.inf), ("max_iters", math.nan), ("temperature", math.nan)])
def test_infinite_or_huge_limits_are_refused(field, value):
    with pytest.raises(ConfigError):
        RunConfig(**{field: value})


def test_time_limit_inf_on_the_command_line():
    p = subprocess.run([sys.executable, "-m", "irg", "hi", "--time-limit", "inf"], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2 and "time limit" in p.stderr and "Traceback" not in p.stderr


def test_a_budget_the_prompt_alone_spends_says_why(model_dir, tmp_path):
    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    b = get_backend(model_dir, "transformers")
    for strategy in ("irg_hybrid", "single_pass", "best_of_n"):
        evs = list(run("Write a long story about the sea. " * 5, b, RunConfig(strategy=strategy, budget=20)))
        stopped = [e for e in evs if type(e).__name__ == "Stopped"][0]
        assert stopped.reason == "budget" and "budget tokens are left" in stopped.detail, (strategy, stopped)


def test_negative_counts_are_not_read_as_counts():
    assert not [c for c in extract_all("Write -2 bullet points about cats.") if c.kind == "bullet_count"]
    assert negative_counts("Write -2 bullet points about cats.")
    assert [c.n for c in extract_all("Write 2 bullet points about cats.") if c.kind == "bullet_count"] == [2]
    assert not negative_counts("Write a well-known 2 bullet points list, pages 3-5 words.")


def test_contradictions_get_a_notice_in_the_run(model_dir):
    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    assert conflicts(extract_all("Answer in all lowercase letters. Write it in all capital letters."))
    assert conflicts(extract_all("Write at least 900 words. Use at most 5 words."))
    assert not conflicts(extract_all("Write at least 5 words. Use at most 900 words."))
    assert conflicts([from_dict({"kind": "bullet_count", "rel": "less_than", "n": 0})])
    evs = list(run("Write at least 900 words. Use at most 5 words.", get_backend(model_dir, "transformers"),
                   RunConfig(strategy="single_pass", max_new_tokens=4)))
    assert any("cannot all hold" in n for n in evs[0].notices)


def test_a_language_the_model_cannot_write_gets_a_notice(model_dir):
    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    evs = list(run("Write a greeting. Your entire response should be in Gujarati.",
                   get_backend(model_dir, "transformers"),
                   RunConfig(strategy="single_pass", max_new_tokens=4)))
    assert any("Gujarati" in n and "English" in n for n in evs[0].notices)
    from irg.engine.constraints import Language
    assert not Language("gujarati").check("નમસ્તે, તમે કેમ છો?") and Language("gujarati").check("Hello there, how are you?")
    assert not Language("japanese").check("こんにちは、元気ですか。") \
        and not Language("english").check("The cat is on the mat.")
