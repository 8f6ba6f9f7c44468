import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { type KvAppendInputs, kvAppend, kvAppendPlain } from "./kv-append.js";

beforeAll(async () => {
  await initBackend("wasm");
});

function inputs(B: number, nh: number, Tp: number, T: number, hs: number, smear: boolean): KvAppendInputs {
  let seed = 11;
  const r = (shape: number[]) => tf.randomNormal(shape, 0, 1, "float32", seed++);
  const x: KvAppendInputs = {
    pastK: r([B, nh, Tp, hs]) as tf.Tensor4D,
    pastV: r([B, nh, Tp, hs]) as tf.Tensor4D,
    k: r([B, nh, T, hs]) as tf.Tensor4D,
    vRows: r([B * T, nh * hs]) as tf.Tensor2D,
  };
  if (smear) x.smear = { prevRaw: r([B, nh, 1, hs]) as tf.Tensor4D, gate: r([1, nh]) as tf.Tensor2D };
  return x;
}

function dispose(x: KvAppendInputs): void {
  tf.dispose([x.pastK, x.pastV, x.k, x.vRows, ...(x.smear ? [x.smear.prevRaw, x.smear.gate] : [])]);
}

describe("kvAppend", () => {
  for (const smear of [true, false]) {
    for (const T of [1, 3]) {
      it(`on wasm is bit-identical to concat + smear + slice + transpose + concat (smear ${smear}, T ${T}) and leaks nothing`, () => {
        const x = inputs(2, 3, 5, T, 8, smear);
        const before = tf.memory().numTensors;
        const dataIds = tf.engine().backend.numDataIds(); // the kernels' own temporaries are freed too
        const [fused, plain] = [kvAppend, kvAppendPlain].map((fn) =>
          tf.tidy(() => {
            const out = fn(x);
            return [out.keys, out.values, out.lastRaw].map((t) => Array.from(t.dataSync()));
          }),
        );
        expect(tf.memory().numTensors).toBe(before);
        expect(tf.engine().backend.numDataIds()).toBe(dataIds);
        expect(fused).toEqual(plain);
        const [keys, values, last] = fused as [number[], number[], number[]];
        expect(keys).toHaveLength(2 * 3 * (5 + T) * 8);
        expect(values).toHaveLength(2 * 3 * (5 + T) * 8);
        expect(last).toHaveLength(2 * 3 * 8);
        // the cached part is copied unchanged; the new value rows land transposed per head
        const pastK = x.pastK.dataSync();
        expect(keys.slice(0, 5 * 8)).toEqual(Array.from(pastK.slice(0, 5 * 8)));
        const vRows = x.vRows.dataSync();
        // values[b=1, h=2, Tp + T-1, :] = vRows[(1*T + T-1), 2*8 .. 3*8]
        const at = ((1 * 3 + 2) * (5 + T) + 5 + T - 1) * 8;
        expect(values.slice(at, at + 8)).toEqual(
          Array.from(vRows.slice((T + T - 1) * 24 + 16, (T + T - 1) * 24 + 24)),
        );
        dispose(x);
      });
    }
  }
});
