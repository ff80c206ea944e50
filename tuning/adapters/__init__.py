"""The adapters room: a small network or a LoRA that changes how the frozen draft model writes.

    gan.py          the thesis' GAN-tuned embedding adapter and its discriminators
    train.py        training it (and LoRA, the baseline) on the fictitious-people questions (people.py)
    compare.py      `python -m tuning.adapters.compare`: base vs GAN vs LoRA, each in its own process
    compare_view.py the comparison's tables and weight trajectories, as the app shows them
    gguf_export.py  adapters written for llama.cpp (folded into the token table, or as its LoRA file)
    shipped.py      the adapters in assets/adapters/ and the draft backends that use them (registers them with the
                    engine's hooks: it is the `irg.plugins` entry point)
    effects.py      what each shipped adapter does and its measured effect
"""
