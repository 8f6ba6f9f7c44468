import type { Options } from "tsup";

export interface PackageBuildOptions {
  /** Entry points relative to the package root. Default: `{ index: "src/index.ts" }`. */
  entry?: Record<string, string>;
  /** Extra options merged over the defaults. */
  overrides?: Options;
}

export declare function packageConfig(options?: PackageBuildOptions): Options | Options[];
