"""Issue 20's small items, each as it was reported: the input, then one sentence and nothing lost."""
import json
import socket
import struct
import threading
import time

import pytest

from irg.engine.config import RunConfig
from irg.engine.constraints import ConstraintError, ParagraphCount, Sections, extract_all, from_dict
from irg.engine.errors import InputError, ModelError
from irg.engine.scaffold import build
from irg.engine.strategies import run
from irg.views.cli import main

RUN = ["--strategy", "irg_external", "--max-iters", "1", "--max-new-tokens", "5"]


def batch(model_dir, inp, out, *extra):
    return main(["batch", "--in", str(inp), "--out", str(out), "--model", model_dir, *RUN, *extra])


def ids(out):
    return [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_byte_order_mark_before_the_first_line_costs_nothing(model_dir, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_bytes(b'\xef\xbb\xbf{"id": "first", "prompt": "Say hi."}\n{"id": "second", "prompt": "Say bye."}\n')
    assert batch(model_dir, inp, out) == 0
    assert ids(out) == ["first", "second"]


def test_an_id_with_a_lone_surrogate_is_one_skipped_line(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "\\udc80", "prompt": "Say hi."}\n{"id": "ok", "prompt": "Say \\udc80 bye."}\n')
    assert batch(model_dir, inp, out) == 0
    assert "lone surrogate" in capsys.readouterr().err
    assert ids(out) == ["ok"]  # the prompt's own lone surrogate is replaced, and the record written


@pytest.mark.parametrize("prompt", ["\u0000\u0000\u0000", "\u200b\u200b", "\ufeff", " \t\r\u0007 ", "?!…", "🌊🐚"])
def test_prompts_without_words_are_refused_everywhere(model_dir, tmp_path, capsys, backend, prompt):
    from irg.views.session import check_input

    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text(json.dumps({"id": "x", "prompt": prompt}) + "\n"
                   + json.dumps({"id": "y", "prompt": "Say hi."}) + "\n")
    assert batch(model_dir, inp, out) == 0
    assert ids(out) == ["y"] and "in.jsonl:1:" in capsys.readouterr().err
    with pytest.raises(InputError):
        list(run(prompt, backend, RunConfig(max_new_tokens=4)))
    with pytest.raises(InputError):
        check_input(prompt, {})


def test_task_values_are_read_or_refused(model_dir, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [{"id": "a", "prompt": "What is 2 + 3? How much?", "task": "MATH"},
             {"id": "b", "prompt": "Say hi.", "task": "poetry"}, {"id": "c", "prompt": "Say hi.", "task": 5},
             {"id": "d", "prompt": "Say hi.", "task": None}]
    inp.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert batch(model_dir, inp, out) == 0
    err = capsys.readouterr().err
    assert ids(out) == ["a", "d"] and "'poetry'" in err and '"task" must be' in err


def test_batch_flags_and_output_paths_are_sentences_naming_the_path(model_dir, tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "prompt": "Say hi."}\n')
    assert batch(model_dir, inp, "/proc/version") == 2
    assert "/proc/version" in capsys.readouterr().err
    assert batch(model_dir, inp, tmp_path) == 2
    assert "is a folder" in capsys.readouterr().err
    assert batch(model_dir, inp, tmp_path / "no" / "such" / "folder.jsonl") == 2
    assert "does not exist or is not writable" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()
    assert batch(model_dir, inp, "/dev/null") == 0  # results thrown away, on purpose: allowed
    assert batch(model_dir, inp, inp) == 2
    assert "is the input file" in capsys.readouterr().err
    assert batch(model_dir, inp, tmp_path / "o.jsonl", "--n-jobs", "-4") == 2
    assert "--n-jobs must be between 1" in capsys.readouterr().err


def test_the_app_listens_where_gradio_server_port_says():
    from irg.views.session import launch_options

    assert launch_options({"GRADIO_SERVER_PORT": "7999"}) == {"server_name": "127.0.0.1", "server_port": 7999}
    assert launch_options({}) == {"server_name": "127.0.0.1", "server_port": None}
    assert launch_options({"GRADIO_SERVER_NAME": "0.0.0.0"})["server_name"] == "0.0.0.0"
    with pytest.raises(SystemExit, match="port number"):
        launch_options({"GRADIO_SERVER_PORT": "seventy"})


# ---- corrupt GGUF files and adapters: a sentence, never a traceback --------------------------------------------------
def _gguf_string(b: bytes) -> bytes:
    return struct.pack("<Q", len(b)) + b


CORRUPT_GGUF = {
    "random bytes after the magic": b"GGUF" + bytes(range(256)) * 8,
    "absurd counts": b"GGUF" + struct.pack("<IQQ", 3, 2**62, 2**62),
    "a key that is not UTF-8": b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _gguf_string(b"\xff\xfe\xfd")
                               + struct.pack("<I", 8) + _gguf_string(b"x"),
    "cut off in the header": b"GGUF" + struct.pack("<IQQ", 3, 1, 1) + struct.pack("<Q", 40) + b"general.arch",
}


@pytest.mark.parametrize("what", list(CORRUPT_GGUF))
@pytest.mark.parametrize("backend_name", ["transformers", "llama.cpp"])
def test_a_damaged_gguf_file_is_one_sentence(tmp_path, what, backend_name, monkeypatch):
    from irg.engine.models import get_backend

    if backend_name == "llama.cpp":
        pytest.importorskip("xllamacpp")
    monkeypatch.setenv("IRG_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "model.gguf"
    f.write_bytes(CORRUPT_GGUF[what])
    with pytest.raises(ModelError, match="could not be read|damaged|did not start"):
        get_backend(str(f), backend_name)


def test_lora_files_that_are_not_safetensors_or_fit_no_layer_are_refused(tokenizer, tmp_path):
    from conftest import build_model
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import load_file, save_file

    from irg.engine.errors import AdapterError
    from tuning.adapters.shipped import apply

    lora = get_peft_model(build_model(tokenizer), LoraConfig(r=2, target_modules=["q_proj"]))
    lora.save_pretrained(tmp_path / "lora")
    weights = tmp_path / "lora" / "adapter_model.safetensors"
    good = load_file(str(weights))
    weights.write_bytes(b"\x80\x04\x95pickle bytes, not a safetensors header")
    with pytest.raises(AdapterError, match="not a safetensors file"):
        apply(build_model(tokenizer), tmp_path / "lora")
    save_file({k.replace("q_proj", "no_such_layer"): v for k, v in good.items()}, str(weights))
    with pytest.raises(AdapterError, match="matches no layer"):
        apply(build_model(tokenizer), tmp_path / "lora")


# ---- bounded work ---------------------------------------------------------------------------------------------------
def test_counts_beyond_any_answer_are_refused_at_validation():
    from irg.engine.constraints import from_dicts

    for kind in ("sections", "paragraph_count", "bullet_count", "word_count", "placeholders"):
        with pytest.raises(ConstraintError, match="no answer can hold that many"):
            from_dicts([{"kind": kind, "n": 10**12}])
        assert from_dict({"kind": kind, "n": 10**12}).n == 10**12  # the engine's own round trips are not refused
    assert from_dicts([{"kind": "word_count", "rel": "at_most", "n": 150_000}])[0].n == 150_000  # an upper bound holds


def test_huge_counts_from_a_prompt_build_no_grammar_and_say_so(backend):
    for c in (Sections(10**12), ParagraphCount(10**12),
              *extract_all("Write 1000000 paragraphs about tea, separated by ***.")):
        t = time.perf_counter()
        assert build([c], 256) is None and time.perf_counter() - t < 0.1
    evs = list(run("Write 1000000 paragraphs about tea, separated by ***.", backend,
                   RunConfig(strategy="irg_external", max_iters=2, max_new_tokens=8)))
    assert any("cannot be met" in n for n in evs[0].notices)


def test_a_silent_server_cannot_hold_a_run_past_its_time_limit():
    """It accepts the connection and never answers: the run ends at its time limit, the request is left behind."""
    from irg.engine.backends.remote import RemoteBackend

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    held = []
    threading.Thread(target=lambda: held.append(srv.accept()), daemon=True).start()
    b = RemoteBackend(f"http://127.0.0.1:{srv.getsockname()[1]}", model="m")
    t = time.perf_counter()
    evs = list(run("Say hi.", b, RunConfig(strategy="single_pass", time_limit=2, max_new_tokens=8)))
    assert time.perf_counter() - t < 8 and evs[-1].stop_reason == "time_limit"
    quiet = RemoteBackend(f"http://127.0.0.1:{srv.getsockname()[1]}", model="m", timeout=1.0)
    threading.Thread(target=lambda: held.append(srv.accept()), daemon=True).start()
    from irg.engine.backends import BackendError, GenRequest

    with pytest.raises(BackendError, match="sent nothing for 1 s"):
        quiet.generate(GenRequest([{"role": "user", "content": "Say hi."}], max_new_tokens=4))
    for conn, _ in held:
        conn.close()
    srv.close()
