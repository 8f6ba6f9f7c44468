import { packageTestConfig } from "@llm/vitest-config";

export default packageTestConfig("consumer-test", { testTimeout: 600_000 });
