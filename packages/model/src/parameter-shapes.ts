/**
 * parameterShapes: the name and [in, out] shape of every GPT weight, in checkpoint order. The
 * single source of the layout that the model, checkpoints, the README table and the PyTorch
 * reference share (bench/reference/gpt.py has the smear gates and gains too).
 * Reference: nanochat's parameter names. Leaves out: biases (there are none).
 */
import type { GptConfig } from "@llm/core";

/** Names and shapes of every weight, in checkpoint order (see the README table). */
export function parameterShapes(config: GptConfig): Array<[string, [number, number]]> {
  const C = config.nEmbd;
  const V = config.vocabSize;
  const shapes: Array<[string, [number, number]]> = [["transformer.wte.weight", [V, C]]];
  for (let i = 0; i < config.nLayer; i++) {
    const p = `transformer.h.${i}`;
    shapes.push([`${p}.attn.c_q.weight`, [C, C]]);
    shapes.push([`${p}.attn.c_k.weight`, [C, C]]);
    shapes.push([`${p}.attn.c_v.weight`, [C, C]]);
    shapes.push([`${p}.attn.c_proj.weight`, [C, C]]);
    shapes.push([`${p}.mlp.c_fc.weight`, [C, 4 * C]]);
    shapes.push([`${p}.mlp.c_proj.weight`, [4 * C, C]]);
    if (config.smearKeys) shapes.push([`${p}.attn.smear`, [1, config.nHead]]);
    if (config.qkGain) shapes.push([`${p}.attn.qk_gain`, [1, config.nHead]]);
  }
  if (!config.tieEmbeddings) shapes.push(["lm_head.weight", [C, V]]);
  return shapes;
}
