/**
 * Writes src/ops/simd/llm-kernels-fma.wasm and llm-kernels-simd.wasm from
 * src/ops/simd/simd-kernels-source.ts (our SIMD kernels; see that file). Run after changing the
 * source: npx tsx packages/model/scripts/build-simd-kernels.ts (src/ops/simd/simd-kernels.test.ts
 * fails while the committed files differ from what this writes).
 */
import { writeFileSync } from "node:fs";
import { KERNEL_FILES } from "../src/ops/simd/simd-kernels.js";
import { buildSimdKernels, DEFAULT_MR } from "../src/ops/simd/simd-kernels-source.js";

for (const variant of ["fma", "simd"] as const) {
  const bytes = buildSimdKernels({ fma: variant === "fma", mr: DEFAULT_MR });
  const path = new URL(`../src/ops/simd/${KERNEL_FILES[variant]}`, import.meta.url);
  writeFileSync(path, bytes);
  console.log(`${path.pathname}: ${bytes.length} bytes`);
}
