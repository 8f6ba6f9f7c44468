import { packageTestConfig } from "@llm/vitest-config";

// Test files share their worker's module cache (isolate: false): every file would otherwise
// re-import @llm/sft and TensorFlow.js. The tests keep no global state beyond read-only caches.
export default packageTestConfig("probes", { overrides: { isolate: false } });
