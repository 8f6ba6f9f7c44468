/**
 * rotaryTables: cos and sin of the rotary position embedding angles, computed in float64 and
 * stored as float32 like the PyTorch reference does. Angle of position t and pair j:
 * t / base^(2j / headDim). Reference: Su et al., "RoFormer" (2021); nanochat's rotary embeddings.
 * Leaves out: scaled/extended RoPE variants (NTK, YaRN).
 */

/** cos and sin tables of RoPE for positions [start, start + T): each [T, hs / 2]. */
export function rotaryTables(
  headDim: number,
  start: number,
  T: number,
  base: number,
): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const cos = new Float32Array(T * half);
  const sin = new Float32Array(T * half);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < half; j++) {
      const angle = (start + t) / base ** ((2 * j) / headDim);
      cos[t * half + j] = Math.cos(angle);
      sin[t * half + j] = Math.sin(angle);
    }
  }
  return { cos, sin };
}
