"""The child process that holds llama.cpp: `python -m irg.engine.backends.llama_child '<params JSON>'`.

Started and supervised by `irg/engine/backends/llama_process.py`. Native code that aborts (a grammar with no token
left, an out-of-memory in a sampler) ends this process only; the parent turns the requests in flight into errors or
retries and starts a new child.

Transports, chosen by the parent:
  pipe  stdin carries JSON lines {"id", "op": "complete", "body"} and {"id", "op": "cancel"}; stdout carries
        {"id", "chunk"} for every streamed chunk, then {"id", "end": true} or {"id", "error": "..."}.
  http  xllamacpp's own HTTP server on a loopback port; the first stdout line is {"address": "http://127.0.0.1:N"}.
In both, end-of-file on stdin means the parent is gone: the child exits at once.

The protocol owns file descriptor 1. Anything native code prints is sent to stderr instead (fd 1 is pointed at fd 2
after the protocol takes a copy), so a stray print can never corrupt a chunk.
"""
from __future__ import annotations

import json
import os
import sys
import threading


def make_server(cfg: dict):
    import xllamacpp as xlc

    p = xlc.CommonParams()
    p.model.path = cfg["model"]
    # a LoRA adapter file (tuning/adapters/gguf_export.lora_adapter), applied to every request at scale 1
    if cfg.get("lora"):
        p.lora_adapters = [xlc.CommonAdapterLoraInfo(cfg["lora"], 1.0)]
    p.n_parallel = cfg["n_parallel"]  # slots: concurrent requests share batches (continuous batching)
    # Each slot has its own KV cache (see LlamaCppBackend): reuse of cached prefixes, reproducible greedy output.
    p.n_ctx = cfg["slot_ctx"] * cfg["n_parallel"]
    p.kv_unified = False
    p.cont_batching = True
    p.warmup = False
    p.verbosity = 0  # errors only
    # llama.cpp keeps the prompt states of idle slots in a host-memory cache, 8 GiB by default: it grew the app by
    # ~30-49 MB per round of 8 runs. Bounded, it keeps what it is for: a request whose prompt was seen before gets
    # that prompt's own state back, so greedy output does not depend on what ran before (first drafts after 20
    # other runs: 3 of 10 differed from a fresh server with no cache, 0 of 10 with 64, 256 or 8,192 MiB).
    p.cache_ram_mib = int(cfg.get("cache_mib", os.environ.get("IRG_LLAMACPP_CACHE_MIB", 256)))
    p.cpuparams.n_threads = cfg["threads"]
    p.cpuparams_batch.n_threads = cfg.get("batch_threads") or cfg["threads"]
    if cfg.get("poll") is not None:  # how hard a thread waiting at a barrier spins (0-100; llama.cpp's default 50)
        p.cpuparams.poll = p.cpuparams_batch.poll = int(cfg["poll"])
    if cfg.get("transport") == "http":
        p.hostnames = ["127.0.0.1"]
        p.port = 0  # a free port; the server tells its address
    return xlc.Server(p)


class PipeServer:
    def __init__(self, server, out):
        self.server = server
        self.out = out
        self.write_lock = threading.Lock()
        self.cancelled: set = set()

    def send(self, obj: dict) -> None:
        line = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "replace")
        with self.write_lock:
            self.out.write(line)
            self.out.flush()

    def complete(self, rid, body: dict) -> None:
        def on_chunk(chunk: dict) -> bool:
            self.send({"id": rid, "chunk": chunk})
            return rid in self.cancelled

        try:
            self.server.handle_completions(body, on_chunk)
            self.send({"id": rid, "end": True})
        except Exception as e:  # a Python-level failure costs this request only
            self.send({"id": rid, "error": f"{type(e).__name__}: {e}"})
        finally:
            self.cancelled.discard(rid)

    def serve(self, inp) -> None:
        for raw in inp:
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            if msg.get("op") == "cancel":
                self.cancelled.add(msg["id"])
            elif msg.get("op") == "complete":
                threading.Thread(target=self.complete, args=(msg["id"], msg["body"]), daemon=True).start()


def main() -> None:
    cfg = json.loads(sys.argv[1])
    out = os.fdopen(os.dup(1), "wb", buffering=0)  # the protocol's own copy of stdout
    os.dup2(2, 1)  # whatever else writes to fd 1 lands on stderr
    sys.stdout = sys.stderr
    server = make_server(cfg)
    if cfg.get("transport") == "http":
        out.write((json.dumps({"address": server.listening_address}) + "\n").encode())
        out.flush()
        for _ in sys.stdin.buffer:  # nothing is read on this transport: wait for the parent to go
            pass
    else:
        out.write(b'{"ready": true}\n')
        out.flush()
        PipeServer(server, out).serve(sys.stdin.buffer)
    os._exit(0)  # the parent is gone: do not wait for llama.cpp's threads


if __name__ == "__main__":
    main()
