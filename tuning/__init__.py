"""Tuning the draft model: the GAN-tuned embedding adapter, its LoRA baseline, and distillation.

Nothing here is imported by the engine; the adapters it trains are applied to a
TransformersBackend's model (forward hooks / peft) and shipped in assets/adapters/.
"""
