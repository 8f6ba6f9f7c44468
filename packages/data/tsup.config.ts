import { packageConfig } from "@llm/tsup-config";

export default packageConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    cli: "src/cli.ts",
    "run-worker": "src/run/run-worker.ts",
  },
});
