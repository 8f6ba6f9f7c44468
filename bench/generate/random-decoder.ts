/**
 * The generation benches' test subject: a GPT of a given shape with random weights (the default
 * init zeroes the head, which makes greedy decoding degenerate), its Generator, a fixed 24-token
 * prompt, and this process's CPU clock. Takes the @llm/model and tfjs modules as arguments, so
 * decode-trees.ts can build it from another checkout's @llm/model.
 * Leaves out: timing and comparing (each bench does its own).
 */
import type * as Model from "@llm/model";
import type * as Tf from "@tensorflow/tfjs-core";

/** The `small` preset's model shape (V1024, d160, 6 layers, 5 heads, context 128). */
export const SMALL_SHAPE: Model.ModelConfigInput & { vocabSize: number } = {
  vocabSize: 1024,
  nEmbd: 160,
  nLayer: 6,
  nHead: 5,
  seqLen: 128,
  smearKeys: true,
  tieEmbeddings: true,
  qkGain: true,
};

export function randomDecoder(
  m: typeof Model,
  tf: typeof Tf,
  shape: Model.ModelConfigInput & { vocabSize: number },
) {
  const model = new m.GPT(shape, { seed: 0 });
  const random = new Map(
    [...model.parameters()].map(([k, v], i) => [k, tf.randomNormal(v.shape, 0, 0.08, "float32", 3 + i)]),
  );
  model.setWeights(random);
  tf.dispose([...random.values()]);
  const gen = new m.Generator(model);
  const prompt = Array.from({ length: 24 }, (_, i) => (i * 37 + 5) % shape.vocabSize);
  return { model, gen, prompt };
}

/** This process's user + system CPU time, ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
