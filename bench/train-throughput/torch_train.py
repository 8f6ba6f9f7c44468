"""Times AdamW training steps of the PyTorch reference GPT (bench/reference/gpt.py) on the CPU.

Prints one JSON line: {"engine": "pytorch", "tokensPerSecond": ..., "msPerStep": ...,
"cpuTokensPerSecond": ... (tokens per CPU-second of all its threads), "threads": ...}.
Called by run.ts with the same config, batch and optimizer as our trainer. Random token ids
(a fixed seed); throughput does not depend on the data. Leaves out: data loading.
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
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--embd", type=int, required=True)
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--seq", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=a.vocab, seq_len=a.seq, n_layer=a.layers, n_head=a.heads, n_embd=a.embd)
    model = GPT(cfg)
    model.init_weights(0)
    opt = make_optimizer(model, lr=1e-3)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq + 1))
    inputs, targets = ids[:, :-1].contiguous(), ids[:, 1:].contiguous()
    for _ in range(a.warmup):
        train_step(model, opt, inputs, targets)
    c0 = time.process_time()  # all threads of the process
    t0 = time.perf_counter()
    for _ in range(a.steps):
        train_step(model, opt, inputs, targets)
    dt = (time.perf_counter() - t0) / a.steps
    cpu = (time.process_time() - c0) / a.steps
    out = {
        "engine": "pytorch",
        "tokensPerSecond": a.batch * a.seq / dt,
        "msPerStep": dt * 1000,
        "cpuTokensPerSecond": a.batch * a.seq / cpu,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
