/**
 * The preset registry: every named preset `--preset` accepts, in the order `--help` lists them.
 */
import { LlmError } from "@llm/core";
import type { PipelineConfig } from "../pipeline-config.js";
import { large } from "./large.js";
import { medium } from "./medium.js";
import { small } from "./small.js";
import { tiny } from "./tiny.js";

export const PRESETS: Readonly<Record<string, PipelineConfig>> = {
  tiny,
  small,
  medium,
  large,
};

/** The default preset of `pnpm pipeline`. */
export const DEFAULT_PRESET = "small";

/** A deep copy of a named preset; throws an LlmError naming the known presets. */
export function getPreset(name: string): PipelineConfig {
  const preset = PRESETS[name];
  if (!preset) {
    throw new LlmError("INVALID_ARGUMENT", `Unknown preset "${name}".`, {
      input: `--preset ${name}`,
      hint: `Use one of: ${Object.keys(PRESETS).join(", ")}.`,
    });
  }
  return structuredClone(preset);
}
