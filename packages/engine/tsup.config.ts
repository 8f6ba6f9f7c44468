import { packageConfig } from "@llm/tsup-config";

export default packageConfig({
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts",
    // started by ToolSandbox as a worker thread from next to the bundle (dist/sandbox-worker.js)
    "sandbox-worker": "src/sandbox-worker.ts",
  },
});
