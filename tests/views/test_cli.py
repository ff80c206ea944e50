"""The command line: live printing, batch JSONL (resumable, bad lines reported), clear errors."""
import json
import subprocess
import sys

import pytest

from irg.views.cli import main


def test_single_prompt_prints_every_module(model_dir, capsys):
    code = main(["Write about zebras. Include the keyword 'zebra'.", "--model", model_dir, "--strategy", "irg_external",
                 "--max-iters", "2", "--max-new-tokens", "6"])
    out = capsys.readouterr().out
    assert code == 0
    for part in ("── draft 1 ──", "── critique 1", "── plan 1", "── draft 2 ──", "stopped: max_iters", "final answer"):
        assert part in out


def test_json_flag_prints_one_event_per_line_from_start_to_final(model_dir, capsys):
    assert main(["Say hi.", "--model", model_dir, "--json", "--max-new-tokens", "4", "--strategy", "single_pass"]) == 0
    types = [json.loads(line)["type"] for line in capsys.readouterr().out.splitlines()]
    assert types[0] == "RunStarted" and types[-2:] == ["Stopped", "Final"]


def test_batch_is_resumable_and_reports_bad_lines(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "a", "prompt": "Say hi without any commas."}\n'
                   "{not json}\n"
                   '{"id": "b", "prompt": ""}\n'
                   '{"id": "c", "prompt": "Say bye.", '
                   '"constraints": [{"kind": "include_keywords", "keywords": ["bye"]}]}\n')
    args = ["batch", "--in", str(inp), "--out", str(out), "--model", model_dir, "--strategy", "irg_external",
            "--max-iters", "2", "--max-new-tokens", "5"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "in.jsonl:2: not valid JSON" in err and "in.jsonl:3: needs a non-empty" in err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "c"]
    for r in rows:
        assert {"id", "strategy", "model", "final", "last", "iterations", "tokens_total", "seconds",
                "stop_reason"} <= set(r)
        assert {"draft", "findings", "plan", "score", "tokens", "seconds"} <= set(r["iterations"][0])
    assert rows[1]["constraints"] == [{"kind": "include_keywords", "keywords": ["bye"]}]
    assert main(args) == 0  # second run: nothing left to do
    assert "2 already in" in capsys.readouterr().err and len(out.read_text().splitlines()) == 2


@pytest.mark.parametrize("args,msg", [
    (["   "], "prompt is empty"),
    (["hi", "--model", "no such model!"], "Unknown model"),
    (["hi", "--max-iters", "0"], "at least 1"),
    (["hi", "--budget", "-3"], "negative"),
    (["batch", "--in", "/nonexistent.jsonl", "--out", "x.jsonl"], "No such input file"),
])
def test_errors_are_one_clear_line_without_traceback(args, msg):
    p = subprocess.run([sys.executable, "-m", "irg", *args], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and msg in p.stderr and "Traceback" not in p.stderr


def test_adapter_flag_drafts_with_the_adapter(model_dir, tmp_path, capsys):
    import torch

    from tuning.adapters.gan import EmbeddingGenerator, save

    torch.manual_seed(0)
    save(EmbeddingGenerator(32, zero_init=False), tmp_path / "g", {})
    assert main(["Say hi.", "--model", model_dir, "--json", "--max-new-tokens", "4", "--strategy", "single_pass",
                 "--adapter", str(tmp_path / "g.safetensors")]) == 0
    started = json.loads(capsys.readouterr().out.splitlines()[0])
    assert "(drafts: " in started["model"] and "g.safetensors" in started["model"]
    save(EmbeddingGenerator(48), tmp_path / "big", {})
    assert main(["Say hi.", "--model", model_dir, "--adapter", str(tmp_path / "big.safetensors")]) == 2
    err = capsys.readouterr().err
    assert "error: The adapter" in err and "another model" in err and "Traceback" not in err
    assert main(["Say hi.", "--model", model_dir, "--adapter", "lora"]) == 2
    assert "There is no LoRA adapter" in capsys.readouterr().err
