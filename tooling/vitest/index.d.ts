import type { ViteUserConfig } from "vitest/config";

export interface PackageTestOptions {
  /** Per-test timeout in ms. Default 60 s. */
  testTimeout?: number;
  /** Extra test options merged over the defaults. */
  overrides?: ViteUserConfig["test"];
}

export declare function packageTestConfig(name: string, options?: PackageTestOptions): ViteUserConfig;
