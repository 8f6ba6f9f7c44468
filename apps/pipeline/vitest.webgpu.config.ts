import { webgpuTestConfig } from "@llm/vitest-config";

export default webgpuTestConfig("pipeline", { testTimeout: 600_000 });
