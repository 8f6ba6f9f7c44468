import { webgpuTestConfig } from "@llm/vitest-config";

export default webgpuTestConfig("model");
