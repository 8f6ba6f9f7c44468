import { packageConfig } from "@llm/tsup-config";

export default packageConfig({
  entry: { index: "src/index.ts", "encode-worker": "src/encode-worker.ts", cli: "src/cli.ts" },
});
