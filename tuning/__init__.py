"""Tuning the draft model: the GAN-tuned embedding adapter, its LoRA baseline, and distillation.

The engine never imports it; the app and the CLI do, for the adapter toggle. The adapters
trained here are applied to a TransformersBackend's model (forward hook / merged peft LoRA)
and shipped in assets/adapters/.
"""
