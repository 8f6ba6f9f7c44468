import { packageTestConfig } from "@llm/vitest-config";

export default packageTestConfig("engine");
