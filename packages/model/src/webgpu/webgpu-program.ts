/**
 * llmProgram: a tfjs-backend-webgpu WebGPUProgram from a WGSL body whose sizes come in as
 * uniforms (so one compiled shader serves every shape: generation feeds a new length each
 * step), and helpers shared by the kernels: the workgroup-per-row index and a 64-lane tree
 * reduction. Inputs are bound as flat storage arrays named after `variableNames`; the output is
 * `result`; `uniforms.<name>` reads a uniform. Reference: tfjs-backend-webgpu's
 * webgpu_program.ts (makeShader, reshapeDispatch). Leaves out: vec4 loads, workgroup tiling.
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Threads per workgroup in every kernel of this folder. */
export const LANES = 64;

export interface LlmProgram {
  variableNames: string[];
  uniforms: string;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  getUserCode: () => string;
}

/** A uniform value: its WGSL name, type and value. */
export type Uniform = [name: string, type: "i32" | "f32", value: number];

/**
 * A program of `workgroups` workgroups of LANES threads; `body` is the WGSL inside
 * `fn main(index: i32)` (index = global thread index), after the module-scope `decls`.
 */
export function llmProgram(
  key: string,
  variableNames: string[],
  outputShape: number[],
  workgroups: number,
  uniforms: readonly Uniform[],
  decls: string,
  body: string,
): LlmProgram {
  return {
    variableNames,
    uniforms: uniforms.map(([name, type]) => `${name} : ${type},`).join(" "),
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, workgroups), 1, 1],
    workgroupSize: [LANES, 1, 1],
    getUserCode: () => `
${decls}
fn main(index: i32) {
  _ = uniforms.outShape; // keep tfjs's uniform binding in the auto layout
${body}
}`,
  };
}

/** WGSL: `wg`, this workgroup's linear index (valid after tfjs reshapes a large dispatch). */
export const WORKGROUP_INDEX =
  "let wg = i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);";

/** WGSL: reduces `red` (array<f32, LANES> in workgroup memory) with `op` into red[0]; all lanes call it. */
export function reduceSnippet(op: "max" | "sum"): string {
  const combine = op === "max" ? "max(red[lane], red[lane + s])" : "red[lane] + red[lane + s]";
  return `workgroupBarrier();
  for (var s = ${LANES / 2}; s > 0; s = s >> 1u) {
    if (lane < s) { red[lane] = ${combine}; }
    workgroupBarrier();
  }`;
}

/** The part of tfjs-backend-webgpu's backend the kernels use. */
export interface WebGpuBackendLike {
  runWebGPUProgram(
    program: LlmProgram,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: Array<{ type: string; data: number[] }>,
  ): tf.TensorInfo;
  disposeData(dataId: unknown): boolean;
}

/** Runs `program` (float32 output) with the uniform values it was built with. */
export function runProgram(
  backend: unknown,
  program: LlmProgram,
  inputs: tf.TensorInfo[],
  uniforms: readonly Uniform[],
): tf.TensorInfo {
  const data = uniforms.map(([, type, value]) => ({
    type: type === "i32" ? "int32" : "float32",
    data: [value],
  }));
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, inputs, "float32", data);
}
