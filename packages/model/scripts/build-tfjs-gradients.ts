/**
 * Writes src/ops/tfjs-gradients.generated.js (tfjs-core's gradient registrations, bundled: see
 * src/ops/tfjs-gradients-bundle.ts). Run after upgrading @tensorflow/tfjs-core:
 * npx tsx packages/model/scripts/build-tfjs-gradients.ts (src/ops/tfjs-gradients.test.ts fails
 * while the committed file differs from what this writes).
 */
import { writeFileSync } from "node:fs";
import { bundleTfjsGradients } from "../src/ops/tfjs-gradients-bundle.js";

const path = new URL("../src/ops/tfjs-gradients.generated.js", import.meta.url);
const text = await bundleTfjsGradients();
writeFileSync(path, text);
console.log(`${path.pathname}: ${text.length} characters`);
