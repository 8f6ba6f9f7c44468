import type { ViteUserConfig } from "vitest/config";

export interface PackageTestOptions {
  /** Per-test timeout in ms. Default 60 s. */
  testTimeout?: number;
  /** Extra test options merged over the defaults. */
  overrides?: ViteUserConfig["test"];
}

export declare function packageTestConfig(name: string, options?: PackageTestOptions): ViteUserConfig;

/** Config for `*.webgpu.test.ts` files only (run by `pnpm test:webgpu`; they need a Vulkan/Metal/D3D12 driver). */
export declare function webgpuTestConfig(name: string, options?: PackageTestOptions): ViteUserConfig;
