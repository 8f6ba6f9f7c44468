import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { AdamW, decays } from "./adamw.js";
import { computeGradients } from "./compute-gradients.js";
import { GPT } from "./gpt.js";
import { InferenceSession } from "./inference-session.js";
import { initBackend } from "./init-backend.js";
import { countParameters, resolveGptConfig } from "./model-config.js";
import { smearKeys } from "./ops/smear-keys.js";
import { TINY } from "./test-helpers.js";

beforeAll(async () => {
  await initBackend("wasm");
});

const config = { ...TINY, seqLen: 32, smearKeys: true };

describe("smeared keys", () => {
  it("add one gate per head and layer, start at an even mix, and do not decay", () => {
    const model = new GPT(config, { seed: 1 });
    const gate = model.parameters().get("transformer.h.1.attn.smear");
    expect(gate?.shape).toEqual([1, 2]);
    expect(Array.from(gate!.dataSync())).toEqual([0, 0]);
    expect(model.parameterCount()).toBe(countParameters(resolveGptConfig(TINY)) + 2 * 2);
    expect(decays("matrices", "transformer.h.1.attn.smear", [1, 2])).toBe(false);
    expect(new GPT(TINY, { seed: 1 }).parameters().has("transformer.h.0.attn.smear")).toBe(false);
    model.dispose();
  });

  it("change the model (the gate matters) and a cached step equals the full forward", () => {
    const model = new GPT(config, { seed: 4 });
    model.setWeights(
      new Map([...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.5, "float32", 5)])),
    );
    const seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const full = tf.tidy(() => model.forward(tf.tensor2d([seq], [1, seq.length], "int32")).dataSync());
    const session = new InferenceSession(model);
    const cached = [session.feed(seq.slice(0, 4)), ...seq.slice(4).map((t) => session.feed([t]))];
    cached.forEach((logits, i) => {
      const pos = i + 3;
      for (let v = 0; v < 64; v++) expect(logits[v]).toBeCloseTo(full[pos * 64 + v] as number, 4);
    });
    session.dispose();
    // a different gate gives different logits past the first position
    const weights = new Map<string, tf.Tensor>([...model.parameters()].map(([k, v]) => [k, v.clone()]));
    weights.get("transformer.h.0.attn.smear")?.dispose();
    weights.set("transformer.h.0.attn.smear", tf.tensor2d([[4, -4]]));
    model.setWeights(weights);
    tf.dispose([...weights.values()]);
    const changed = tf.tidy(() => model.forward(tf.tensor2d([seq], [1, seq.length], "int32")).dataSync());
    let diff = 0;
    for (let i = 64; i < full.length; i++)
      diff = Math.max(diff, Math.abs((changed[i] as number) - (full[i] as number)));
    expect(diff).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it("are cached smeared: a step smears only its own keys, bit-identical to smearing the whole raw sequence, and leaks nothing", () => {
    const model = new GPT(config, { seed: 4 });
    model.setWeights(
      new Map([...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.5, "float32", 5)])),
    );
    const seq = [
      [3, 1, 4, 1, 5, 9, 2, 6],
      [2, 7, 1, 8, 2, 8, 1, 8],
    ]; // [2, 8]
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const raw: tf.Tensor4D[][] = [[], []]; // per layer, each step's raw key [2, nh, 1, hs]
      let out: ReturnType<GPT["run"]> | undefined;
      for (let t = 0; t < 8; t++) {
        const ids = tf.tensor2d(
          seq.map((r) => r[t] as number),
          [2, 1],
          "int32",
        ); // [2, 1]
        out = model.run(ids, t, out?.kv);
        for (const [i, k] of (out.kv.lastKeys ?? []).entries()) raw[i]?.push(k);
      }
      for (let i = 0; i < 2; i++) {
        // what the cache held before: raw keys, smeared over the whole sequence at every step
        const gate = model.parameters().get(`transformer.h.${i}.attn.smear`) as unknown as tf.Tensor2D;
        const expected = smearKeys(tf.concat(raw[i] as tf.Tensor4D[], 2) as tf.Tensor4D, gate); // [2, nh, 8, hs]
        expect(out?.kv.keys[i]?.shape).toEqual([2, 2, 8, 16]);
        expect(Array.from(out?.kv.keys[i]?.dataSync() ?? [])).toEqual(Array.from(expected.dataSync())); // exact
      }
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("learn a copy task: the gates get gradients and training lowers the loss", () => {
    const before = tf.memory().numTensors;
    const model = new GPT(config, { seed: 2 });
    // random 8-token spans written twice: the second half is only predictable by copying
    const rows: number[][] = [];
    let s = 7;
    for (let r = 0; r < 8; r++) {
      const span = Array.from({ length: 8 }, () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return 1 + (s % 60);
      });
      rows.push([...span, ...span, ...span, ...span, ...span].slice(0, 33));
    }
    const inputs = Int32Array.from(rows.flatMap((r) => r.slice(0, 32)));
    const targets = Int32Array.from(rows.flatMap((r) => r.slice(1, 33)));
    const batch = { inputs, targets, batchSize: 8, seqLen: 32 };
    const optimizer = new AdamW(model.parameters(), { weightDecay: 0 });
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const { loss, grads } = computeGradients(model, batch);
      // zero-initialised output projections pass no gradient to the attention on the first step
      if (step === 5) {
        const g = grads.get("transformer.h.0.attn.smear")!;
        expect(Math.max(...Array.from(g.dataSync(), Math.abs))).toBeGreaterThan(0);
      }
      optimizer.apply(grads, 1e-2);
      for (const g of grads.values()) g.dispose();
      losses.push(loss);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.7);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
