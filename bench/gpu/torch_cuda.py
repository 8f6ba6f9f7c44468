"""Times AdamW training steps of the PyTorch reference GPT (bench/reference/gpt.py) on CUDA.

The same model, batch, sequence length, optimizer and clipping as bench/train-throughput/ours.ts,
in float32 (TF32 off, as ours computes in f32), eager mode (no torch.compile), and one loss read
back per step (`loss.item()`, as our trainer awaits its loss). Prints one JSON line:
{"engine": "pytorch-cuda", "tokensPerSecond": ..., "msPerStep": ..., "device": ...}.
Random token ids with a fixed seed; throughput does not depend on the data.
Leaves out: mixed precision and torch.compile (faster, but not what ours does).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from gpt import GPT, GPTConfig, make_optimizer, train_step  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    for name in ("vocab", "embd", "layers", "heads", "seq", "batch"):
        p.add_argument(f"--{name}", type=int, required=True)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--device", default="cuda")
    a = p.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("torch.cuda.is_available() is False: no CUDA device for the reference")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=a.vocab, seq_len=a.seq, n_layer=a.layers, n_head=a.heads, n_embd=a.embd)
    model = GPT(cfg)
    model.init_weights(0)
    model.to(a.device)
    opt = make_optimizer(model, lr=1e-3)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq + 1), device=a.device)
    inputs, targets = ids[:, :-1].contiguous(), ids[:, 1:].contiguous()
    for _ in range(a.warmup):
        train_step(model, opt, inputs, targets)
    if a.device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        train_step(model, opt, inputs, targets)
    if a.device == "cuda":
        torch.cuda.synchronize()
    dt = (time.perf_counter() - t0) / a.steps
    name = torch.cuda.get_device_name(0) if a.device == "cuda" else "cpu"
    print(json.dumps({
        "engine": f"pytorch-{a.device}",
        "tokensPerSecond": a.batch * a.seq / dt,
        "msPerStep": dt * 1000,
        "device": name,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
