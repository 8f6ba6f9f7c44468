/**
 * runCli: the `llm-rl` command line. `train` runs GRPO (or Dr. GRPO / DAPO) on a checkpoint with
 * verifiable tasks from @llm/sft and writes the RL checkpoint; `eval` reports pass@1 / pass@k of
 * a checkpoint on held-out tasks. Takes argv and output functions as parameters, so it is
 * testable and never reads process state. Reference: nanochat's chat_rl.py and chat_eval.py.
 * Leaves out: choosing presets of model size (the checkpoint decides) and multi-process rollouts.
 */

import { access } from "node:fs/promises";
import {
  acquireRunLock,
  type CliIo as CoreCliIo,
  checkpointPaths,
  isLlmError,
  LlmError,
  parseCliOptions,
  type RewardFunction,
  type RunLock,
  type StepEvent,
} from "@llm/core";
import { ToolSandbox } from "@llm/engine";
import { type BackendName, type GPT, initBackend, type LoadedCheckpoint, loadCheckpoint } from "@llm/model";
import { BpeTokenizer } from "@llm/tokenizer";
import { evaluatePassAtK } from "./evaluate-pass-at-k.js";
import { GRPO_PRESETS, type GrpoConfig, resolveGrpoConfig } from "./grpo-config.js";
import { defaultReward } from "./rewards/answer-reward.js";
import { combineRewards } from "./rewards/combine-rewards.js";
import { formatReward } from "./rewards/format-reward.js";
import { RL_TASK_KINDS, type RlTaskKind, rlTaskSets } from "./rl-task-sets.js";
import { defaultRender, trainGrpo } from "./train-grpo.js";

export interface CliIo extends CoreCliIo {
  /** Stops training after the current step (the bin wires SIGINT to it). */
  signal?: AbortSignal;
}

export const USAGE = `llm-rl <command> [options]

commands:
  train --checkpoint <sft checkpoint dir> --tokenizer <tokenizer.json> --out <rl checkpoint dir>
        [--tasks arithmetic,letter-count,decimal-compare,word-count] [--count 500] [--eval-count 50]
        [--preset grpo|dr_grpo|dapo] [--steps 50] [--prompts-per-step 4] [--group-size 8]
        [--max-new-tokens 64] [--temperature 1] [--top-k 0] [--greedy-per-group 0] [--lr 1e-5]
        [--warmup 0] [--passes 1] [--micro-batch 0] [--beta 0] [--eps-low 0.2] [--eps-high 0.2]
        [--loss grpo|dapo|dr_grpo] [--no-scale-rewards] [--keep-equal-groups] [--mask-truncated]
        [--format-weight 0] [--eval-every 10] [--eval-samples 8] [--eval-k 4]
        [--checkpoint-every 0] [--no-tools] [--seed 0] [--resume] [--backend auto] [--json]
  eval  --checkpoint <checkpoint dir> --tokenizer <tokenizer.json>
        [--tasks arithmetic,letter-count,decimal-compare,word-count] [--eval-count 50] [--n 8] [--k 4]
        [--max-new-tokens 64] [--temperature 1] [--top-k 0] [--no-tools] [--seed 0]
        [--backend auto] [--json]

Defaults of train are those of GrpoConfig (see the README); --preset applies a published
variant before the other flags. eval samples n completions per held-out task and reports
mean reward, pass@1 and pass@k (unbiased estimator). train --resume continues from the
checkpoint in --out when there is one (same flags as the first run). Ctrl-C stops training after
the current step and writes the checkpoint.`;

const options = {
  checkpoint: { type: "string" },
  tokenizer: { type: "string" },
  out: { type: "string" },
  tasks: { type: "string" },
  count: { type: "string" },
  "eval-count": { type: "string" },
  preset: { type: "string" },
  steps: { type: "string" },
  "prompts-per-step": { type: "string" },
  "group-size": { type: "string" },
  "max-new-tokens": { type: "string" },
  temperature: { type: "string" },
  "top-k": { type: "string" },
  "greedy-per-group": { type: "string" },
  lr: { type: "string" },
  warmup: { type: "string" },
  passes: { type: "string" },
  "micro-batch": { type: "string" },
  beta: { type: "string" },
  "eps-low": { type: "string" },
  "eps-high": { type: "string" },
  loss: { type: "string" },
  "no-scale-rewards": { type: "boolean" },
  "keep-equal-groups": { type: "boolean" },
  "mask-truncated": { type: "boolean" },
  "format-weight": { type: "string" },
  "eval-every": { type: "string" },
  "eval-samples": { type: "string" },
  "eval-k": { type: "string" },
  "checkpoint-every": { type: "string" },
  n: { type: "string" },
  k: { type: "string" },
  "no-tools": { type: "boolean" },
  seed: { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
  resume: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseCliOptions<typeof options>>["values"];

function num(values: Values, name: keyof typeof options): number | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === "boolean") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    throw new LlmError("INVALID_ARGUMENT", `--${name} must be a number.`, {
      input: `--${name} ${raw}`,
      hint: "pass a number.",
    });
  }
  return n;
}

function required(values: Values, name: "checkpoint" | "tokenizer" | "out"): string {
  const v = values[name];
  if (v === undefined) {
    throw new LlmError("INVALID_ARGUMENT", `--${name} is required.`, {
      input: `--${name}`,
      hint: "see llm-rl --help.",
    });
  }
  return v;
}

function taskKinds(values: Values): RlTaskKind[] {
  const kinds = (values.tasks ?? RL_TASK_KINDS.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const kind of kinds) {
    if (!RL_TASK_KINDS.includes(kind as RlTaskKind)) {
      throw new LlmError("INVALID_ARGUMENT", `Unknown task kind ${kind}.`, {
        input: `--tasks ${values.tasks}`,
        hint: `use a comma-separated list of ${RL_TASK_KINDS.join(", ")}.`,
      });
    }
  }
  return kinds as RlTaskKind[];
}

/** The config overrides the train flags ask for (preset first, then explicit flags). */
export function configFromFlags(values: Values): Partial<GrpoConfig> {
  const config: Partial<GrpoConfig> = {};
  if (values.preset !== undefined) {
    const preset = GRPO_PRESETS[values.preset as keyof typeof GRPO_PRESETS];
    if (preset === undefined) {
      throw new LlmError("INVALID_ARGUMENT", `Unknown preset ${values.preset}.`, {
        input: `--preset ${values.preset}`,
        hint: `use one of ${Object.keys(GRPO_PRESETS).join(", ")}.`,
      });
    }
    Object.assign(config, preset);
  }
  const numeric: Array<[keyof typeof options, keyof GrpoConfig]> = [
    ["steps", "steps"],
    ["prompts-per-step", "promptsPerStep"],
    ["group-size", "groupSize"],
    ["max-new-tokens", "maxNewTokens"],
    ["temperature", "temperature"],
    ["top-k", "topK"],
    ["greedy-per-group", "greedyPerGroup"],
    ["lr", "learningRate"],
    ["warmup", "warmupSteps"],
    ["passes", "passes"],
    ["micro-batch", "microBatchSize"],
    ["beta", "beta"],
    ["eps-low", "epsLow"],
    ["eps-high", "epsHigh"],
    ["eval-every", "evalEvery"],
    ["eval-samples", "evalSamples"],
    ["eval-k", "evalK"],
    ["checkpoint-every", "checkpointEvery"],
    ["seed", "seed"],
  ];
  for (const [flag, key] of numeric) {
    const v = num(values, flag);
    if (v !== undefined) (config as Record<string, unknown>)[key] = v;
  }
  if (values.loss !== undefined) config.lossType = values.loss as GrpoConfig["lossType"];
  if (values["no-scale-rewards"]) config.scaleRewards = false;
  if (values["keep-equal-groups"]) config.skipEqualGroups = false;
  if (values["mask-truncated"]) config.maskTruncated = true;
  if (values["no-tools"]) config.tools = false;
  return config;
}

function rewardFromFlags(values: Values): RewardFunction {
  const weight = num(values, "format-weight") ?? 0;
  if (weight === 0) return defaultReward;
  return combineRewards([
    { name: "answer", fn: defaultReward, weight: 1 },
    { name: "format", fn: formatReward(), weight },
  ]);
}

function stepLine(e: StepEvent): string {
  const m = e.metrics ?? {};
  const f = (x: number | undefined, d = 3) => (x === undefined ? "-" : x.toFixed(d));
  let line = `step ${e.step}/${e.totalSteps} loss ${f(e.loss, 4)} reward ${f(m.reward)} len ${f(m.completionLength, 1)} clip ${f(m.clipFraction)} kl ${f(m.kl, 4)} entropy ${f(m.entropy)}`;
  if (m.passAt1 !== undefined) line += ` | held-out pass@1 ${f(m.passAt1)}`;
  return line;
}

/** Runs one llm-rl command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseCliOptions(argv, options);
  } catch (error) {
    io.err(isLlmError(error) ? `error [${error.code}]: ${error.message}` : String(error));
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined || command === "help") {
    io.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command !== "train" && command !== "eval") {
    io.err(`Unknown command ${command}.\n\n${USAGE}`);
    return 2;
  }
  let sandbox: ToolSandbox | undefined;
  let lock: RunLock | undefined;
  try {
    // rollouts and the GRPO loss read tensors synchronously: not on webgpu
    const backend = await initBackend((values.backend ?? "auto") as BackendName, { syncReads: true });
    const tokenizer = await BpeTokenizer.load(required(values, "tokenizer"));
    const out = command === "train" ? required(values, "out") : undefined;
    // One writer per checkpoint folder: LOCKED while another live process writes it.
    if (out !== undefined)
      lock = await acquireRunLock(out, {
        command: "llm-rl train",
        listeners: { onLog: (e) => io.err(e.message) },
      });
    const resumable =
      out !== undefined &&
      values.resume === true &&
      (await access(checkpointPaths(out).state).then(
        () => true,
        () => false,
      ));
    const loaded = await loadCheckpoint(resumable ? (out as string) : required(values, "checkpoint"));
    const model = loaded.model;
    const sets = rlTaskSets(taskKinds(values), {
      ...(num(values, "count") === undefined ? {} : { count: num(values, "count") as number }),
      ...(num(values, "eval-count") === undefined ? {} : { evalCount: num(values, "eval-count") as number }),
      seed: num(values, "seed") ?? 0,
    });
    const reward = rewardFromFlags(values);
    if (!values["no-tools"]) sandbox = await ToolSandbox.create();
    const tools = sandbox;
    if (!values.json)
      io.out(`backend ${backend.name}; ${sets.train.length} training tasks, ${sets.heldOut.length} held-out`);
    if (command === "eval") {
      const n = num(values, "n") ?? 8;
      const result = await evaluatePassAtK(
        model,
        tokenizer,
        sets.heldOut,
        defaultRender(tokenizer),
        defaultReward,
        {
          samples: n,
          k: num(values, "k") ?? Math.min(4, n),
          maxNewTokens: num(values, "max-new-tokens") ?? 64,
          temperature: num(values, "temperature") ?? 1,
          topK: num(values, "top-k") ?? 0,
          seed: num(values, "seed") ?? 0,
          ...(tools === undefined ? {} : { tools }),
        },
      );
      if (values.json) {
        const { examples: _, ...summary } = result;
        io.out(JSON.stringify(summary));
      } else {
        io.out(
          `${result.tasks} tasks x ${result.samples} samples: mean reward ${result.meanReward.toFixed(3)}, pass@1 ${result.passAt1.toFixed(3)}, pass@${result.k} ${result.passAtK.toFixed(3)}`,
        );
        for (const ex of result.examples.slice(0, 3)) {
          io.out(`  [${ex.reward}] ${ex.task.prompt} -> ${JSON.stringify(ex.text.slice(0, 120))}`);
        }
      }
      model.dispose();
      return 0;
    }
    const config = resolveGrpoConfig(configFromFlags(values));
    let reference: GPT | undefined;
    if (resumable && config.beta > 0)
      reference = (await loadCheckpoint(required(values, "checkpoint"))).model;
    if (resumable) io.out(`resuming from ${out} at step ${loaded.state.step}`);
    const result = await trainGrpo(
      { model, tokenizer },
      sets.train,
      config,
      {
        onStep: (e) => io.out(values.json ? JSON.stringify(e) : stepLine(e)),
        onLog: (e) => io.err(`[${e.level}] ${e.message}`),
      },
      {
        reward,
        evalReward: defaultReward,
        heldOut: sets.heldOut,
        checkpointDir: out as string,
        ...(resumable ? { resume: loaded as LoadedCheckpoint } : {}),
        ...(reference === undefined ? {} : { reference }),
        ...(tools === undefined ? {} : { tools }),
        ...(io.signal === undefined ? {} : { signal: io.signal }),
      },
    );
    const first = result.evaluations[0];
    const last = result.evaluations.at(-1);
    if (!values.json && first !== undefined && last !== undefined) {
      io.out(
        `held-out pass@1 ${first.passAt1.toFixed(3)} -> ${last.passAt1.toFixed(3)}, pass@${config.evalK} ${first.passAtK.toFixed(3)} -> ${last.passAtK.toFixed(3)}`,
      );
    }
    io.out(
      values.json
        ? JSON.stringify({ checkpoint: out, aborted: result.aborted })
        : `checkpoint written to ${out}`,
    );
    model.dispose();
    reference?.dispose();
    return 0;
  } catch (error) {
    if (isLlmError(error)) {
      io.err(`error ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await sandbox?.close();
    await lock?.release();
  }
}
