/**
 * Command-line arguments of `pnpm pipeline`: parsing with @llm/core's parseCliOptions (strict: a
 * misspelt flag is an error listing the valid ones), validation with clear LlmErrors, `--set path=value` overrides of preset fields, and the `--help` text (which
 * lists every preset and stage). Pure functions: cli.ts does the printing and exiting.
 * Leaves out: config files given by path (presets are TypeScript files in src/presets/).
 */
import { LlmError, parseCliOptions } from "@llm/core";
import type { PipelineConfig } from "./pipeline-config.js";
import { DEFAULT_PRESET, PRESETS } from "./presets/index.js";
import { isStageName, STAGE_DESCRIPTIONS, STAGE_NAMES, type StageName } from "./stage-names.js";

export const BACKENDS = ["auto", "webgpu", "wasm", "cpu", "tensorflow", "tensorflow-gpu"] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface CliOptions {
  help: boolean;
  preset: string;
  /** Run folder; default runs/<preset>. */
  out: string;
  backend: BackendChoice;
  from?: StageName;
  only?: StageName;
  /** Stop after this stage. */
  until?: StageName;
  /** `path=value` overrides, in order. */
  set: string[];
  /** Plain log lines even on a terminal. */
  plain: boolean;
  /** Print the stage plan and exit without running. */
  dryRun: boolean;
  /** Run a GPU-sized preset on a CPU backend anyway (with a warning of its expected time). */
  force: boolean;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseCliOptions(argv, OPTIONS, { allowPositionals: false });
  const preset = values.preset ?? DEFAULT_PRESET;
  if (!PRESETS[preset]) {
    throw new LlmError("INVALID_ARGUMENT", `Unknown preset "${preset}".`, {
      input: `--preset ${preset}`,
      hint: `Use one of: ${Object.keys(PRESETS).join(", ")}.`,
    });
  }
  const backend = values.backend ?? "auto";
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new LlmError("INVALID_ARGUMENT", `Unknown backend "${backend}".`, {
      input: `--backend ${backend}`,
      hint: `Use one of: ${BACKENDS.join(", ")}.`,
    });
  }
  const from = checkStage("from", values.from);
  const only = checkStage("only", values.only);
  const until = checkStage("until", values.until);
  if (from && only) {
    throw new LlmError("INVALID_ARGUMENT", "--from and --only cannot be used together.", {
      input: `--from ${from} --only ${only}`,
      hint: "Use --from to rerun a stage and everything after it, or --only for a single stage.",
    });
  }
  const options: CliOptions = {
    help: values.help ?? false,
    preset,
    out: values.out ?? `runs/${preset}`,
    backend: backend as BackendChoice,
    set: values.set ?? [],
    plain: values.plain ?? false,
    dryRun: values["dry-run"] ?? false,
    force: values.force ?? false,
  };
  if (from) options.from = from;
  if (only) options.only = only;
  if (until) options.until = until;
  return options;
}

/** Every flag of `pnpm pipeline` (strict: any other is an error listing these). */
const OPTIONS = {
  help: { type: "boolean", short: "h" },
  preset: { type: "string", short: "p" },
  out: { type: "string", short: "o" },
  backend: { type: "string", short: "b" },
  from: { type: "string" },
  only: { type: "string" },
  until: { type: "string" },
  set: { type: "string", multiple: true },
  plain: { type: "boolean" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
} as const;

function checkStage(flag: string, value: string | undefined): StageName | undefined {
  if (value === undefined) return undefined;
  if (!isStageName(value)) {
    throw new LlmError("INVALID_ARGUMENT", `Unknown stage "${value}".`, {
      input: `--${flag} ${value}`,
      hint: `Use one of: ${STAGE_NAMES.join(", ")}.`,
    });
  }
  return value;
}

/**
 * Applies `path=value` overrides (e.g. `pretrain.steps=100`) to a config copy. The path must
 * name an existing field and the value must have that field's type (numbers, booleans and
 * JSON arrays/objects are parsed; anything else is a string).
 */
export function applyOverrides(config: PipelineConfig, overrides: readonly string[]): PipelineConfig {
  const result = structuredClone(config);
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) {
      throw new LlmError("INVALID_ARGUMENT", "An override must look like path=value.", {
        input: `--set ${override}`,
        hint: "For example --set pretrain.steps=100.",
      });
    }
    const path = override.slice(0, eq).split(".");
    const raw = override.slice(eq + 1);
    let target = result as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === null || typeof next !== "object") throw unknownPath(override);
      target = next as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (!(last in target)) throw unknownPath(override);
    const current = target[last];
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    const expected = Array.isArray(current) ? "array" : typeof current;
    const actual = Array.isArray(value) ? "array" : typeof value;
    if (expected !== actual) {
      throw new LlmError("INVALID_ARGUMENT", `Override has type ${actual}, the field is a ${expected}.`, {
        input: `--set ${override}`,
        hint: `Give a ${expected} value.`,
      });
    }
    target[last] = value;
  }
  return result;
}

function unknownPath(override: string): LlmError {
  return new LlmError("INVALID_ARGUMENT", "An override names a field the preset does not have.", {
    input: `--set ${override}`,
    hint: "Use a dotted path of the preset, e.g. pretrain.steps or sft.mixture.identity (see src/presets/).",
  });
}

export function helpText(): string {
  const presetLines = Object.values(PRESETS).map(
    (p) => `  ${p.name.padEnd(12)} ${p.description}${p.name === DEFAULT_PRESET ? " (default)" : ""}`,
  );
  const stageLines = STAGE_NAMES.map((s) => `  ${s.padEnd(10)} ${STAGE_DESCRIPTIONS[s]}`);
  return `pnpm pipeline: raw text -> tokenizer -> base GPT -> SFT -> RL -> probes -> report card.

Usage: pnpm pipeline [--preset NAME] [--out DIR] [--backend NAME] [--from STAGE | --only STAGE] [--until STAGE]
                     [--set path=value ...] [--plain] [--dry-run] [--force]

Options:
  -p, --preset NAME    Preset to run (default ${DEFAULT_PRESET}). Presets are typed files in src/presets/.
  -o, --out DIR        Run folder (default runs/<preset>, relative to where you ran pnpm).
                       Rerunning the same command resumes: finished stages are skipped, an
                       interrupted training stage continues from its last checkpoint.
  -b, --backend NAME   Tensor backend: ${BACKENDS.join(" | ")} (default auto:
                       tensorflow-gpu if it finds a GPU, then webgpu on a GPU adapter, then
                       tensorflow if installed, then wasm, then cpu). Pretraining runs on it;
                       sft, rl and probes read tensors synchronously and take wasm for webgpu.
                       --backend webgpu also runs on a software adapter (lavapipe), labelled.
      --from STAGE     Rerun STAGE and every stage after it (earlier stages must be finished).
      --only STAGE     Run only STAGE (earlier stages must be finished with the same config).
      --until STAGE    Stop after STAGE (e.g. --until pretrain for a base model only).
      --set path=value Override one preset field, e.g. --set pretrain.steps=100 (repeatable).
                       A changed value redoes that stage and the ones downstream of it only.
      --plain          Plain log lines instead of the live progress line (automatic off a TTY / in CI).
      --dry-run        Print which stages would run, skip or resume, the backend of each, and exit.
      --force          Run a GPU-sized preset (medium, large) on a CPU backend anyway.
  -h, --help           Show this help.

Presets:
${presetLines.join("\n")}

Stages (in order):
${stageLines.join("\n")}

Ctrl-C stops after the current training step and writes a checkpoint; press it twice to quit at once.
The run folder holds config.json, data/, tokenizer/, base/, sft/, sft-answer-first/, rl/, probes/,
report.md, report.html (opens offline) and report.json.`;
}
