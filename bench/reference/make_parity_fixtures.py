"""Generates the parity fixtures of @llm/model (packages/model/src/__fixtures__/parity/, the untied
default, and __fixtures__/parity-options/, with the presets' options on: tied embeddings, smeared
keys and learned attention gains): for each, a tiny random GPT (config.json, model.safetensors in the [in, out] layout), token ids, targets, a loss
mask, and the expected logits, losses and loss gradients computed by bench/reference/gpt.py in
float64, plus the losses and weights after three AdamW steps (optimizer and clipping parity). The TypeScript test (src/parity.test.ts) must match them. Never edit the outputs by hand:
rerun `/usr/bin/python3 bench/reference/make_parity_fixtures.py` from the repository root.
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt import GPT, GPTConfig, make_optimizer, train_step, write_safetensors  # noqa: E402

FIXTURES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "model", "src", "__fixtures__"))


def main() -> None:
    write_fixture("parity", GPTConfig(vocab_size=64, seq_len=16, n_layer=2, n_head=2, n_embd=32), seed=1234)
    write_fixture(
        "parity-options",
        GPTConfig(vocab_size=64, seq_len=16, n_layer=2, n_head=2, n_embd=32, smear_keys=True, tie_embeddings=True, qk_gain=True),
        seed=4321,
    )


def write_fixture(folder: str, config: GPTConfig, seed: int) -> None:
    OUT = os.path.join(FIXTURES, folder)
    torch.manual_seed(seed)
    model = GPT(config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "transformer.wte.weight":
                p.normal_(0.0, 1.0 / math.sqrt(config.n_embd) * 2.0 if config.tie_embeddings else 1.0)
            elif name == "lm_head.weight":
                p.normal_(0.0, 4.0 / math.sqrt(config.n_embd))  # logits of a few units: the softcap bends them
            elif name.endswith(".smear"):
                p.normal_(0.0, 1.5)  # gates away from 0.5, different per head
            elif name.endswith(".qk_gain"):
                p.uniform_(0.5, 3.0)  # gains away from 1, different per head
            else:
                p.normal_(0.0, 1.0 / math.sqrt(p.shape[1]))
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "model.safetensors"), model.state_dict_for_safetensors(), {"format": "pt"})
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump({"format": "llm-model/gpt", "version": 1, **config.to_json()}, f, indent=2)
        f.write("\n")

    B, T = 2, config.seq_len
    ids = torch.randint(0, config.vocab_size, (B, T))
    targets = torch.randint(0, config.vocab_size, (B, T))
    mask = (torch.rand(B, T) < 0.6).float()

    model = model.double()
    logits = model(ids)
    loss = model.loss(ids, targets)
    model.zero_grad()
    loss_masked = model.loss(ids, targets, mask.double())
    loss_masked.backward()
    expected = {
        "ids": ids.int(),
        "targets": targets.int(),
        "mask": mask.float(),
        "logits": logits.detach().float(),
        "loss": loss.detach().float().reshape(1),
        "loss_masked": loss_masked.detach().float().reshape(1),
    }
    for name, p in model.named_parameters():
        g = p.grad.detach().float()
        expected[f"grad.{name}"] = g if GPT.stored_as_is(name) else g.t().contiguous()
    # three AdamW steps (lr 1e-2, weight decay 0.1 on block matrices, clip 1.0) on the masked batch
    opt = make_optimizer(model, lr=1e-2, weight_decay=0.1)
    losses = [train_step(model, opt, ids, targets, clip=1.0, mask=mask.double()) for _ in range(3)]
    expected["train_losses"] = torch.tensor(losses, dtype=torch.float32)
    for name, t in model.state_dict_for_safetensors().items():
        expected[f"trained.{name}"] = t
    write_safetensors(os.path.join(OUT, "expected.safetensors"), expected, {"generator": "bench/reference/make_parity_fixtures.py", "torch": torch.__version__})
    print(f"wrote {OUT}: loss {loss.item():.6f}, masked loss {loss_masked.item():.6f}")


if __name__ == "__main__":
    main()
