/**
 * runCli: the `llm-model` command line (train from token shards, sample, eval, info), taking
 * argv and output functions as parameters so that it is testable and never reads process state.
 * Reference: nanochat's scripts (base_train, base_loss, chat_cli). Leaves out: distributed
 * launch (run one process per data slice instead) and chat formatting (see @llm/sft).
 */
import { access } from "node:fs/promises";
import {
  acquireRunLock,
  type CliFlagSpec,
  type CliFlags,
  type CliIo as CoreCliIo,
  checkpointPaths,
  flagNumber,
  flagString,
  isLlmError,
  LlmError,
  parseCliFlags,
  requiredFlag,
  type StepEvent,
  type Tokenizer,
} from "@llm/core";
import { ShardBatchSource } from "@llm/data";
import { BpeTokenizer, tokenByteLengths } from "@llm/tokenizer";
import { cleanCheckpointLeftovers, loadCheckpoint, readCheckpointConfig } from "./checkpoint.js";
import { evaluate } from "./evaluate.js";
import { Generator } from "./generator.js";
import { GPT } from "./gpt.js";
import { type BackendName, initBackend } from "./init-backend.js";
import { countParameters, resolveGptConfig } from "./model-config.js";
import { Trainer } from "./trainer.js";
import { vulkanDriverFilesOf } from "./webgpu/gpu-stack-hint.js";

export interface CliIo extends CoreCliIo {
  /** The process environment (only VK_DRIVER_FILES / VK_ICD_FILENAMES are read, for webgpu's hint). */
  env?: Readonly<Record<string, string | undefined>>;
}

export const USAGE = `llm-model <command> [options]

commands:
  train  --data <shard dir|file> --out <checkpoint dir> (--tokenizer <tokenizer.json> | --vocab-size N)
         [--depth 4] [--n-embd N] [--n-head N] [--n-layer N] [--seq-len 256] [--batch-size 8]
         [--steps 200] [--lr 1e-3] [--warmup 0] [--schedule cosine|linear|constant]
         [--grad-accum 1] [--grad-clip 1] [--weight-decay 0.1] [--eval-every 50]
         [--eval-batches 4] [--checkpoint-every 50] [--seed 0] [--resume] [--backend auto]
  sample <checkpoint dir> (--prompt <text> --tokenizer <tokenizer.json> | --ids 1,2,3)
         [--max-tokens 64] [--temperature 1] [--top-k 0] [--top-p 1] [--seed 0] [--no-cache]
  eval   <checkpoint dir> --data <shard dir|file> [--split val] [--batches 20] [--batch-size 8]
         [--tokenizer <tokenizer.json>] [--backend auto]
  info   <checkpoint dir>

--backend: auto (default) | webgpu | wasm | cpu | tensorflow | tensorflow-gpu; auto takes webgpu only
on a GPU adapter, and --backend webgpu also runs on a software one (lavapipe: slow, labelled).`;

type Flags = CliFlags;
/** Every flag llm-model accepts (strict: any other is an error listing these). */
const FLAGS: CliFlagSpec = {
  backend: "string",
  "batch-size": "string",
  batches: "string",
  checkpoint: "string",
  "checkpoint-every": "string",
  data: "string",
  "eval-batches": "string",
  "seq-len": "string",
  "n-layer": "string",
  "n-head": "string",
  "n-embd": "string",
  depth: "string",
  "eval-every": "string",
  "grad-accum": "string",
  "grad-clip": "string",
  ids: "string",
  lr: "string",
  "max-tokens": "string",
  out: "string",
  prompt: "string",
  schedule: "string",
  seed: "string",
  split: "string",
  steps: "string",
  temperature: "string",
  tokenizer: "string",
  "top-k": "string",
  "top-p": "string",
  "vocab-size": "string",
  warmup: "string",
  "weight-decay": "string",
  "no-cache": "boolean",
  resume: "boolean",
};

const parseArgs = (argv: readonly string[]) => parseCliFlags(argv, FLAGS);
const str = flagString;
const num = flagNumber;

function required(flags: Flags, name: string): string {
  return requiredFlag(flags, name, USAGE.split("\n")[0] ?? "See llm-model --help.");
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function stepLine(e: StepEvent): string {
  const parts = [
    `step ${e.step}/${e.totalSteps}`,
    `loss ${e.loss.toFixed(4)}`,
    `lr ${e.lr.toExponential(2)}`,
    `gnorm ${(e.gradNorm ?? 0).toFixed(3)}`,
    `${Math.round(e.tokensPerSecond ?? 0)} tok/s`,
  ];
  if (e.valLoss !== undefined) parts.push(`val ${e.valLoss.toFixed(4)}`);
  if (e.valBpb !== undefined) parts.push(`bpb ${e.valBpb.toFixed(4)}`);
  return parts.join(" | ");
}

async function loadTokenizer(flags: Flags): Promise<Tokenizer | undefined> {
  const path = str(flags, "tokenizer");
  return path === undefined ? undefined : BpeTokenizer.load(path);
}

/** Runs one command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    io.err(isLlmError(error) ? `error [${error.code}]: ${error.message}` : String(error));
    return 1;
  }
  const { positional, flags } = parsed;
  const command = positional[0];
  try {
    if (command === undefined || flags.has("help") || command === "help") {
      io.out(USAGE);
      return command === undefined && !flags.has("help") ? 1 : 0;
    }
    const listeners = { onLog: (e: { message: string }) => io.err(e.message) };
    await initBackend((str(flags, "backend") ?? "auto") as BackendName, {
      listeners,
      vulkanDriverFiles: vulkanDriverFilesOf(io.env ?? {}),
    });
    if (command === "info") {
      const dir = positional[1] ?? required(flags, "checkpoint");
      const config = await readCheckpointConfig(dir);
      const ckpt = await loadCheckpoint(dir);
      io.out(
        JSON.stringify({ ...config, parameterCount: countParameters(config), state: ckpt.state }, null, 2),
      );
      ckpt.model.dispose();
      return 0;
    }
    if (command === "train") return await trainCommand(flags, io);
    if (command === "sample") {
      const dir = positional[1] ?? required(flags, "checkpoint");
      const ckpt = await loadCheckpoint(dir);
      const tokenizer = await loadTokenizer(flags);
      const idsFlag = str(flags, "ids");
      let prompt: number[];
      if (idsFlag !== undefined) prompt = idsFlag.split(",").map((s) => Number(s.trim()));
      else if (tokenizer !== undefined) {
        const bos = tokenizer.specialTokens.get("<|bos|>");
        prompt = [...(bos === undefined ? [] : [bos]), ...tokenizer.encode(str(flags, "prompt") ?? "")];
      } else {
        throw new LlmError("INVALID_ARGUMENT", "sample needs --ids or --tokenizer with --prompt", {
          input: "--prompt",
          hint: "Pass --tokenizer runs/x/tokenizer/tokenizer.json --prompt 'Once upon a time'.",
        });
      }
      const generator = new Generator(ckpt.model, { cache: !flags.has("no-cache") });
      const options = {
        maxTokens: num(flags, "max-tokens") ?? 64,
        temperature: num(flags, "temperature") ?? 1,
        topK: num(flags, "top-k") ?? 0,
        topP: num(flags, "top-p") ?? 1,
        seed: num(flags, "seed") ?? 0,
      };
      const out: number[] = [];
      for await (const token of generator.generate(prompt, options)) out.push(token);
      io.out(tokenizer === undefined ? out.join(",") : (str(flags, "prompt") ?? "") + tokenizer.decode(out));
      ckpt.model.dispose();
      return 0;
    }
    if (command === "eval") {
      const dir = positional[1] ?? required(flags, "checkpoint");
      const ckpt = await loadCheckpoint(dir);
      const tokenizer = await loadTokenizer(flags);
      const source = await ShardBatchSource.open({
        shards: required(flags, "data"),
        batchSize: num(flags, "batch-size") ?? 8,
        seqLen: ckpt.config.seqLen,
        split: (str(flags, "split") ?? "val") as "train" | "val",
      });
      const result = await evaluate(ckpt.model, source, {
        batches: num(flags, "batches") ?? 20,
        ...(tokenizer === undefined ? {} : { tokenBytes: tokenByteLengths(tokenizer) }),
      });
      await source.close();
      io.out(JSON.stringify(result));
      ckpt.model.dispose();
      return 0;
    }
    throw new LlmError("INVALID_ARGUMENT", `unknown command "${command}"`, {
      input: command,
      hint: USAGE.split("\n")[0],
    });
  } catch (error) {
    io.err(
      isLlmError(error)
        ? `error [${error.code}]: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error),
    );
    return 1;
  }
}

async function trainCommand(flags: Flags, io: CliIo): Promise<number> {
  const out = required(flags, "out");
  // One writer per checkpoint folder (LOCKED names a live holder; a dead one's lock is reclaimed).
  const lock = await acquireRunLock(out, {
    command: "llm-model train",
    listeners: { onLog: (e) => io.err(e.message) },
  });
  try {
    for (const path of await cleanCheckpointLeftovers(out)) io.err(`removed ${path}, left by a killed save`);
    return await trainLocked(flags, io, out);
  } finally {
    await lock.release();
  }
}

async function trainLocked(flags: Flags, io: CliIo, out: string): Promise<number> {
  const data = required(flags, "data");
  const tokenizer = await loadTokenizer(flags);
  const resume = flags.has("resume") && (await exists(checkpointPaths(out).state));
  let model: GPT;
  let checkpoint: Awaited<ReturnType<typeof loadCheckpoint>> | undefined;
  if (resume) {
    checkpoint = await loadCheckpoint(out, tokenizer === undefined ? {} : { vocabSize: tokenizer.vocabSize });
    model = checkpoint.model;
  } else {
    const vocabSize = tokenizer?.vocabSize ?? num(flags, "vocab-size");
    if (vocabSize === undefined) {
      throw new LlmError("INVALID_ARGUMENT", "train needs --tokenizer or --vocab-size", {
        input: "--vocab-size",
        hint: "Pass the tokenizer that made the shards.",
      });
    }
    const input: Record<string, number> = { vocabSize };
    for (const [flag, key] of [
      ["depth", "depth"],
      ["n-embd", "nEmbd"],
      ["n-head", "nHead"],
      ["n-layer", "nLayer"],
      ["seq-len", "seqLen"],
    ] as const) {
      const v = num(flags, flag);
      if (v !== undefined) input[key] = v;
    }
    model = new GPT(resolveGptConfig(input), { seed: num(flags, "seed") ?? 0 });
  }
  const batchSize = num(flags, "batch-size") ?? 8;
  const seed = num(flags, "seed") ?? 0;
  const open = (split: "train" | "val") =>
    ShardBatchSource.open({ shards: data, batchSize, seqLen: model.config.seqLen, split, seed });
  const source = await open("train");
  const valSource = await open("val").catch(() => undefined);
  const schedule = (str(flags, "schedule") ?? "cosine") as "cosine" | "linear" | "constant";
  const trainer = new Trainer(
    model,
    {
      totalSteps: num(flags, "steps") ?? 200,
      lr: num(flags, "lr") ?? 1e-3,
      warmupSteps: num(flags, "warmup") ?? 0,
      schedule,
      gradAccumSteps: num(flags, "grad-accum") ?? 1,
      gradClip: num(flags, "grad-clip") ?? 1,
      weightDecay: num(flags, "weight-decay") ?? 0.1,
      evalEvery: num(flags, "eval-every") ?? 50,
      evalBatches: num(flags, "eval-batches") ?? 4,
      checkpointDir: out,
      checkpointEvery: num(flags, "checkpoint-every") ?? 50,
      seed,
      ...(valSource === undefined ? {} : { valSource }),
      ...(tokenizer === undefined ? {} : { tokenBytes: tokenByteLengths(tokenizer) }),
    },
    { onStep: (e) => io.out(stepLine(e)), onLog: (e) => io.err(e.message) },
  );
  if (checkpoint !== undefined) trainer.restore(checkpoint, source);
  io.err(`model: ${model.parameterCount()} parameters, ${JSON.stringify(model.config)}`);
  const result = await trainer.run(source);
  io.err(`done: ${result.steps} steps, checkpoint in ${out}`);
  await source.close();
  await valSource?.close();
  trainer.dispose();
  model.dispose();
  return 0;
}
