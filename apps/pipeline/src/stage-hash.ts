/**
 * Stage hashes: a stage's input hash is the hash of its own config section, the run's seed and
 * the hash of the stage before it, so changing a preset value redoes that stage and every stage
 * downstream of it, and nothing upstream. Keys are sorted before hashing so that the order of
 * fields in a preset file never matters. Reference: the content-addressed caching of turbo and
 * Nix. Leaves out: hashing the code itself (a code change does not invalidate a finished stage).
 */
import { createHash } from "node:crypto";
import type { PipelineConfig } from "./pipeline-config.js";
import { STAGE_NAMES, type StageName, stageConfig } from "./stage-names.js";

/** JSON with object keys sorted at every level; undefined fields dropped like JSON.stringify. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** First 16 hex digits of the SHA-256 of the canonical JSON of `value`. */
export function hashValue(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}

/** The input hash of every stage, in stage order. */
export function stageHashes(config: PipelineConfig): Record<StageName, string> {
  const hashes = {} as Record<StageName, string>;
  let upstream = "";
  for (const stage of STAGE_NAMES) {
    upstream = hashValue({ stage, seed: config.seed, config: stageConfig(config, stage), upstream });
    hashes[stage] = upstream;
  }
  return hashes;
}
