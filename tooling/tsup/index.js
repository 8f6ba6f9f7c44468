/**
 * tsup config factory shared by every publishable @llm package.
 * Emits ESM with .d.ts and sourcemaps; workspace and npm dependencies stay external.
 * Builds resolve other @llm packages through their built `dist/` (tsconfig/build.json drops the
 * `@llm/source` condition), so turbo's `^build` must run first. Does not minify.
 * Plain JS (typed by index.d.ts) because tsup loads configs without transpiling dependencies.
 */
import { defineConfig } from "tsup";

/** @param {import("./index.js").PackageBuildOptions} [options] */
export function packageConfig(options = {}) {
  return defineConfig({
    entry: options.entry ?? { index: "src/index.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    tsconfig: "tsconfig.build.json",
    ...options.overrides,
  });
}
