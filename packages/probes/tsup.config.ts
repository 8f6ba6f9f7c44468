import { packageConfig } from "@llm/tsup-config";

export default packageConfig({
  entry: {
    index: "src/index.ts",
    evaluations: "src/evaluations/index.ts",
    testing: "src/testing/index.ts",
    cli: "src/cli.ts",
  },
});
