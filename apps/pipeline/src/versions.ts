/**
 * Versions of the @llm packages and the tensor engine, recorded in config.json and the report.
 */
import { createRequire } from "node:module";

const PACKAGES = [
  "@llm/core",
  "@llm/data",
  "@llm/tokenizer",
  "@llm/model",
  "@llm/sft",
  "@llm/rl",
  "@llm/probes",
  "@tensorflow/tfjs-core",
];

export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // not installed (tfjs-core comes through @llm/model); left out of the report
    }
  }
  return versions;
}
