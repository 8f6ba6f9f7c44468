"""PyTorch reference of @llm/model's GPT (architecture.md): the correctness anchor for parity
fixtures and the baseline for throughput benchmarks.

Same architecture as packages/model/src/gpt.ts: token embedding and head (untied, or tied with
tie_embeddings: the head is the transposed embedding), parameter-free RMSNorm (eps 1e-6 inside the
square root) after the embedding, before each sub-block and before the head; causal self-attention
with half-split RoPE (base 10000, positions from 0) on q and k, then per-head RMSNorm of q and k,
then (qk_gain) each head's queries times a learned gain, then (smear_keys) each head's key at t
mixed with the one at t-1 by a learned sigmoid gate; scale 1/sqrt(head_dim); ReLU^2 MLP of width
4*C; no biases; logits softcapped 15*tanh(x/15).

Checkpoints: model.safetensors stores linear weights [in, out] (the tfjs layout); nn.Linear keeps
[out, in], so load_safetensors_into/state_dict_for_safetensors transpose. Names:
  transformer.wte.weight [V, C], transformer.h.{i}.attn.c_{q,k,v,proj}.weight [C, C],
  transformer.h.{i}.mlp.c_fc.weight [C, 4C], transformer.h.{i}.mlp.c_proj.weight [4C, C],
  lm_head.weight [C, V] (absent when tied), transformer.h.{i}.attn.smear [1, nh] (smear_keys),
  transformer.h.{i}.attn.qk_gain [1, nh] (qk_gain); these two are stored as they are.

Usable as a module (GPT, GPTConfig, make_optimizer, train_step, read_safetensors) and needs only
torch and the standard library. Reference: nanochat gpt.py, nanoGPT model.py.
Leaves out: dropout, KV cache, grouped-query attention, Muon.
"""
from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

RMS_NORM_EPS = 1e-6


@dataclass
class GPTConfig:
    vocab_size: int = 4096
    seq_len: int = 256
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 256
    rope_base: float = 10000.0
    softcap: float = 15.0
    smear_keys: bool = False
    tie_embeddings: bool = False
    qk_gain: bool = False

    @classmethod
    def from_json(cls, d: dict) -> "GPTConfig":
        """Reads the camelCase config.json of an @llm/model checkpoint."""
        return cls(
            vocab_size=d["vocabSize"],
            seq_len=d["seqLen"],
            n_layer=d["nLayer"],
            n_head=d["nHead"],
            n_embd=d["nEmbd"],
            rope_base=d.get("ropeBase", 10000.0),
            softcap=d.get("softcap", 15.0),
            smear_keys=d.get("smearKeys", False),
            tie_embeddings=d.get("tieEmbeddings", False),
            qk_gain=d.get("qkGain", False),
        )

    def to_json(self) -> dict:
        return {
            "vocabSize": self.vocab_size,
            "seqLen": self.seq_len,
            "nLayer": self.n_layer,
            "nHead": self.n_head,
            "nEmbd": self.n_embd,
            "ropeBase": self.rope_base,
            "softcap": self.softcap,
            "smearKeys": self.smear_keys,
            "tieEmbeddings": self.tie_embeddings,
            "qkGain": self.qk_gain,
        }


def rms_norm(x: torch.Tensor) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_NORM_EPS)


def rotary_tables(head_dim: int, seq_len: int, base: float, start: int = 0):
    """cos, sin of shape [T, head_dim/2]; angles in float64 like the TypeScript side, then float32."""
    j = torch.arange(0, head_dim // 2, dtype=torch.float64)
    inv_freq = 1.0 / (base ** (2 * j / head_dim))
    t = torch.arange(start, start + seq_len, dtype=torch.float64)
    angles = torch.outer(t, inv_freq)
    return angles.cos().float(), angles.sin().float()


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x [B, T, nh, hs]; cos/sin [T, hs/2]: (x1*cos + x2*sin, -x1*sin + x2*cos)."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    cos = cos[None, :, None, :].to(x.dtype)
    sin = sin[None, :, None, :].to(x.dtype)
    return torch.cat([x1 * cos + x2 * sin, x2 * cos - x1 * sin], dim=-1)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        C = config.n_embd
        self.n_head = config.n_head
        self.c_q = nn.Linear(C, C, bias=False)
        self.c_k = nn.Linear(C, C, bias=False)
        self.c_v = nn.Linear(C, C, bias=False)
        self.c_proj = nn.Linear(C, C, bias=False)
        # One gate logit per head (sigmoid 0.5 at 0) and one query gain per head, shaped [1, nh].
        self.smear = nn.Parameter(torch.zeros(1, config.n_head)) if config.smear_keys else None
        self.qk_gain = nn.Parameter(torch.ones(1, config.n_head)) if config.qk_gain else None

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        nh, hs = self.n_head, C // self.n_head  # head h owns columns h*hs .. (h+1)*hs - 1
        q = rms_norm(apply_rotary(self.c_q(x).view(B, T, nh, hs), cos, sin)).transpose(1, 2)  # [B, nh, T, hs]
        k = rms_norm(apply_rotary(self.c_k(x).view(B, T, nh, hs), cos, sin)).transpose(1, 2)  # [B, nh, T, hs]
        if self.qk_gain is not None:
            q = q * self.qk_gain.view(1, nh, 1, 1)  # [B, nh, T, hs]: after QK-norm
        if self.smear is not None:
            g = torch.sigmoid(self.smear).view(1, nh, 1, 1)
            prev = F.pad(k[:, :, :-1, :], (0, 0, 1, 0))  # k[t-1], zeros at t = 0
            k = g * k + (1 - g) * prev  # [B, nh, T, hs]
        v = self.c_v(x).view(B, T, nh, hs).transpose(1, 2)  # [B, nh, T, hs]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)  # [B, nh, T, T]
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)  # [B, T, C]
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=False)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(F.relu(self.c_fc(x)).square())


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.attn = CausalSelfAttention(config)
        self.mlp = MLP(config)

    def forward(self, x, cos, sin):
        x = x + self.attn(rms_norm(x), cos, sin)
        return x + self.mlp(rms_norm(x))


class GPT(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(config.vocab_size, config.n_embd),
                h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            )
        )
        self.lm_head = None if config.tie_embeddings else nn.Linear(config.n_embd, config.vocab_size, bias=False)

    def init_weights(self, seed: int = 0) -> None:
        """nanochat's init: embedding N(0,1) (tied: N(0, 1/sqrt(C))), linears N(0, min(1, sqrt(out/in))/sqrt(in)),
        zero head, output projections and smear gates; query gains log2(T^2 - T)/sqrt(hs)."""
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name == "lm_head.weight" or name.endswith("c_proj.weight") or name.endswith(".smear"):
                    p.zero_()
                elif name.endswith(".qk_gain"):
                    T, hs = self.config.seq_len, self.config.n_embd // self.config.n_head
                    p.fill_(math.log2(max(2, T * T - T)) / math.sqrt(hs))
                elif name == "transformer.wte.weight":
                    p.normal_(0.0, 1.0 / math.sqrt(self.config.n_embd) if self.config.tie_embeddings else 1.0, generator=g)
                else:
                    fan_out, fan_in = p.shape
                    p.normal_(0.0, min(1.0, math.sqrt(fan_out / fan_in)) / math.sqrt(fan_in), generator=g)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits [B, T, V] for ids [B, T]."""
        B, T = ids.shape
        cfg = self.config
        cos, sin = rotary_tables(cfg.n_embd // cfg.n_head, T, cfg.rope_base)
        cos, sin = cos.to(ids.device), sin.to(ids.device)
        x = rms_norm(self.transformer.wte(ids))
        for block in self.transformer.h:
            x = block(x, cos, sin)
        xn = rms_norm(x)
        logits = xn @ self.transformer.wte.weight.t() if self.lm_head is None else self.lm_head(xn)
        if cfg.softcap > 0:
            logits = cfg.softcap * torch.tanh(logits / cfg.softcap)
        return logits

    def loss(self, ids: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """Mean next-token cross-entropy; with a mask, sum(mask*CE)/sum(mask)."""
        logits = self.forward(ids)
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), targets.reshape(-1), reduction="none")
        if mask is None:
            return ce.mean()
        m = mask.reshape(-1).to(ce.dtype)
        return (ce * m).sum() / m.sum().clamp_min(1e-12)

    # --- weights in the @llm/model layout ([in, out]) ---

    @staticmethod
    def stored_as_is(name: str) -> bool:
        """Tensors kept in PyTorch's layout in model.safetensors (not linear weights)."""
        return name == "transformer.wte.weight" or name.endswith(".smear") or name.endswith(".qk_gain")

    def state_dict_for_safetensors(self) -> dict[str, torch.Tensor]:
        out = {}
        for name, p in self.named_parameters():
            out[name] = p.detach().float() if self.stored_as_is(name) else p.detach().float().t().contiguous()
        return out

    def load_safetensors_into(self, tensors: dict[str, torch.Tensor]) -> None:
        with torch.no_grad():
            for name, p in self.named_parameters():
                t = tensors[name]
                p.copy_(t if self.stored_as_is(name) else t.t())


def make_optimizer(model: GPT, lr: float = 1e-3, weight_decay: float = 0.1, betas=(0.9, 0.95), eps: float = 1e-8):
    """AdamW with decay on the blocks' matrices only (the @llm/model default decay rule: not the
    embedding, head, smear gates or query gains)."""

    def decays(n: str) -> bool:
        return n.startswith("transformer.h.") and n.endswith(".weight")

    decay = [p for n, p in model.named_parameters() if decays(n)]
    no_decay = [p for n, p in model.named_parameters() if not decays(n)]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
        betas=betas,
        eps=eps,
    )


def train_step(model: GPT, optimizer, inputs: torch.Tensor, targets: torch.Tensor, clip: float = 1.0, mask=None) -> float:
    """One optimizer step (forward, backward, global-norm clip, AdamW); returns the loss."""
    loss = model.loss(inputs, targets, mask)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    if clip > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item()


# --- safetensors (the format is tiny; no dependency on the safetensors package) ---

_DTYPES = {"F32": (torch.float32, 4), "I32": (torch.int32, 4), "I64": (torch.int64, 8), "F64": (torch.float64, 8)}


def read_safetensors(path: str) -> tuple[dict[str, torch.Tensor], dict]:
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        dtype, _ = _DTYPES[e["dtype"]]
        begin, end = e["data_offsets"]
        buf = bytearray(data[base + begin : base + end])
        out[name] = torch.frombuffer(buf, dtype=dtype).reshape(e["shape"]).clone() if end > begin else torch.zeros(e["shape"], dtype=dtype)
    return out, meta


def write_safetensors(path: str, tensors: dict[str, torch.Tensor], metadata: dict | None = None) -> None:
    names = {torch.float32: "F32", torch.int32: "I32", torch.int64: "I64", torch.float64: "F64"}
    header: dict = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    js = json.dumps(header, separators=(",", ":"))
    js += " " * ((8 - (8 + len(js)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js.encode())
        for b in blobs:
            f.write(b)


def load_checkpoint(folder: str) -> GPT:
    """A GPT from an @llm/model checkpoint folder (config.json + model.safetensors)."""
    with open(f"{folder}/config.json") as f:
        config = GPTConfig.from_json(json.load(f))
    model = GPT(config)
    tensors, _ = read_safetensors(f"{folder}/model.safetensors")
    model.load_safetensors_into(tensors)
    return model
