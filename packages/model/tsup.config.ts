import { packageConfig } from "@llm/tsup-config";

export default packageConfig({
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts",
    // started as a worker thread by DataParallel (src/parallel/)
    "data-parallel-worker": "src/parallel/data-parallel-worker.ts",
  },
});
