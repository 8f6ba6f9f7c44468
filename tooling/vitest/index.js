/**
 * vitest config factory shared by every @llm package and app.
 * Resolves workspace packages through the `@llm/source` export condition, so tests run on
 * TypeScript sources and nothing has to be built first. Leaves coverage to the caller.
 * Plain JS (typed by index.d.ts) so that config loading never needs a transpiler.
 */
import { defineConfig } from "vitest/config";

/**
 * @param {string} name
 * @param {import("./index.js").PackageTestOptions} [options]
 */
export function packageTestConfig(name, options = {}) {
  return defineConfig({
    resolve: { conditions: ["@llm/source"] },
    ssr: { resolve: { conditions: ["@llm/source"], externalConditions: ["@llm/source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      // WebGPU tests need a Vulkan driver (not an npm package): `pnpm test:webgpu` runs them
      exclude: ["**/node_modules/**", "**/*.webgpu.test.ts"],
      environment: "node",
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      pool: "forks",
      ...options.overrides,
    },
  });
}

/**
 * The `pnpm test:webgpu` config: only `*.webgpu.test.ts`, one file at a time (they share one
 * WebGPU device per process and lavapipe is slow), with longer timeouts.
 * @param {string} name
 * @param {import("./index.js").PackageTestOptions} [options]
 */
export function webgpuTestConfig(name, options = {}) {
  return packageTestConfig(`${name}-webgpu`, {
    testTimeout: options.testTimeout ?? 300_000,
    overrides: {
      include: ["src/**/*.webgpu.test.ts", "test/**/*.webgpu.test.ts"],
      exclude: ["**/node_modules/**"],
      fileParallelism: false,
      ...options.overrides,
    },
  });
}
