import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLlmError, type LlmError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdamW } from "./adamw.js";
import { cleanCheckpointLeftovers, loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { GPT } from "./gpt.js";
import { initBackend } from "./init-backend.js";
import type { ModelConfigInput } from "./model-config.js";
import { decodeSafetensors, loadSafetensors, type NamedArray, saveSafetensors } from "./safetensors.js";
import { TINY } from "./test-helpers.js";

let root: string;
beforeAll(async () => {
  await initBackend("wasm");
  root = await mkdtemp(join(tmpdir(), "llm-model-mismatch-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let count = 0;
async function saved(config: ModelConfigInput = TINY, withOptimizer = false): Promise<string> {
  const dir = join(root, `ckpt-${count++}`);
  const model = new GPT(config, { seed: 1 });
  const optimizer = withOptimizer ? new AdamW(model.parameters(), {}) : undefined;
  await saveCheckpoint(dir, optimizer ? { model, optimizer } : { model });
  model.dispose();
  return dir;
}

async function editTensors(path: string, edit: (tensors: Map<string, NamedArray>) => void): Promise<void> {
  const file = await loadSafetensors(path);
  edit(file.tensors);
  await saveSafetensors(path, file.tensors, file.metadata);
}

async function loadError(dir: string): Promise<LlmError> {
  const error = await loadCheckpoint(dir).then(
    (c) => {
      c.model.dispose();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!isLlmError(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

const transpose = (t: NamedArray): NamedArray => {
  const [rows, cols] = t.shape as [number, number];
  const data = new Float32Array(t.data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) data[c * rows + r] = t.data[r * cols + c] as number;
  return { shape: [cols, rows], data };
};

describe("loading checks every tensor name, shape and dtype against the config", () => {
  it("a weight stored as [16, 64] instead of [32, 32] (same size) is FILE_MISMATCH naming it", async () => {
    const dir = await saved();
    const path = join(dir, "model.safetensors");
    await editTensors(path, (t) => {
      const w = t.get("transformer.h.0.attn.c_q.weight") as NamedArray;
      t.set("transformer.h.0.attn.c_q.weight", { shape: [16, 64], data: w.data });
    });
    const error = await loadError(dir);
    expect(error.code).toBe("FILE_MISMATCH");
    expect(error.message).toContain(
      "transformer.h.0.attn.c_q.weight has shape [16,64], the config needs [32,32]",
    );
    expect(error.input).toBe(path);
  });

  it("an MLP weight in PyTorch's [out, in] layout is FILE_MISMATCH with a transpose hint", async () => {
    const dir = await saved();
    await editTensors(join(dir, "model.safetensors"), (t) => {
      t.set(
        "transformer.h.1.mlp.c_fc.weight",
        transpose(t.get("transformer.h.1.mlp.c_fc.weight") as NamedArray),
      );
    });
    const error = await loadError(dir);
    expect(error.code).toBe("FILE_MISMATCH");
    expect(error.message).toContain(
      "transformer.h.1.mlp.c_fc.weight has shape [128,32], the config needs [32,128]",
    );
    expect(error.hint).toMatch(/\[out, in\]/);
  });

  it("smear and gain weights with those options off are unexpected tensors", async () => {
    for (const option of ["smearKeys", "qkGain"] as const) {
      const dir = await saved({ ...TINY, [option]: true });
      const configPath = join(dir, "config.json");
      const json = JSON.parse(await readFile(configPath, "utf8"));
      json[option] = false;
      delete json.parameterCount;
      await writeFile(configPath, JSON.stringify(json));
      const error = await loadError(dir);
      expect(error.code).toBe("FILE_MISMATCH");
      expect(error.message).toMatch(
        option === "smearKeys"
          ? /holds tensor transformer\.h\.0\.attn\.smear, which the config does not use/
          : /attn\.qk_gain/,
      );
      expect(error.hint).toContain(`${option}: false`);
    }
  });

  it("a missing tensor (the head of an untied model) and a non-F32 dtype are FILE_MISMATCH", async () => {
    const dir = await saved();
    const path = join(dir, "model.safetensors");
    const original = await readFile(path);
    await editTensors(path, (t) => t.delete("lm_head.weight"));
    const missing = await loadError(dir);
    expect(missing.code).toBe("FILE_MISMATCH");
    expect(missing.message).toContain("has no tensor lm_head.weight (expected shape [32,64])");
    expect(missing.hint).toContain("tieEmbeddings: false");
    await writeFile(path, original);
    await editTensors(path, (t) => {
      const w = t.get("transformer.wte.weight") as NamedArray;
      t.set("transformer.wte.weight", { shape: w.shape, data: Int32Array.from(w.data) });
    });
    const dtype = await loadError(dir);
    expect(dtype.code).toBe("FILE_MISMATCH");
    expect(dtype.message).toContain("transformer.wte.weight is not float32");
  });

  it("optimizer moments are checked too", async () => {
    const dir = await saved(TINY, true);
    const optPath = join(dir, "optimizer.safetensors");
    await editTensors(optPath, (t) => t.set("extra.exp_avg", { shape: [1], data: new Float32Array(1) }));
    const error = await loadError(dir);
    expect(error.code).toBe("FILE_MISMATCH");
    expect(error.message).toContain(`${optPath} holds tensor extra.exp_avg`);
  });

  it("a matching checkpoint with every option on still loads", async () => {
    const dir = await saved({ ...TINY, smearKeys: true, qkGain: true, tieEmbeddings: true }, true);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.config.tieEmbeddings).toBe(true);
    loaded.model.dispose();
  });
});

describe("leftovers and hints", () => {
  it("an empty .<name>.<hex>.tmp folder of a killed save is removed by the next save", async () => {
    const dir = await saved();
    const leftover = join(root, `.${dir.split("/").pop()}.0123456789ab.tmp`);
    await mkdir(leftover);
    const other = join(root, ".unrelated.0123456789ab.tmp");
    await mkdir(other);
    expect(await cleanCheckpointLeftovers(dir)).toEqual([leftover]);
    await mkdir(leftover);
    const model = new GPT(TINY, { seed: 2 });
    await saveCheckpoint(dir, { model });
    model.dispose();
    const names = await readdir(root);
    expect(names).not.toContain(leftover.split("/").pop());
    expect(names).toContain(".unrelated.0123456789ab.tmp");
    await rm(other, { recursive: true });
  });

  it("a truncated checkpoint suggests retraining the stage, and prints the header length as an integer", async () => {
    const dir = await saved();
    const path = join(dir, "model.safetensors");
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    const error = await loadError(dir);
    expect(error.code).toBe("FILE_CORRUPT");
    expect(error.hint).toContain("--from pretrain");
    expect(error.hint).not.toMatch(/earlier checkpoint/);
    const garbage = new Uint8Array(16).fill(0xff);
    expect(() => decodeSafetensors(garbage, "x.safetensors")).toThrow(
      /header length 18446744073709551615 \(bytes\)/,
    );
  });
});
