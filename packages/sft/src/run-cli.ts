/**
 * runCli: the `llm-sft` command line, taking argv and I/O functions as parameters so that it is
 * testable and never reads process state.
 *   data    write built-in datasets as conversation JSONL
 *   render  show a conversation's tokens with the trained (mask 1) spans coloured
 *   train   fine-tune a base checkpoint on conversation JSONL files and/or built-in datasets
 * Reference: nanochat's chat_sft.py. Leaves out: chatting with the result (`llm-engine chat` in
 * @llm/engine, and apps/chat).
 */
import type { Conversation, StepEvent, Tokenizer } from "@llm/core";
import {
  acquireRunLock,
  type CliFlagSpec,
  type CliFlags,
  type CliIo as CoreCliIo,
  flagNumber,
  flagString,
  LlmError,
  parseCliFlags,
  requiredFlag,
  writeFileAtomic,
} from "@llm/core";
import { type BackendName, initBackend, loadCheckpoint, vulkanDriverFilesOf } from "@llm/model";
import { BpeTokenizer } from "@llm/tokenizer";
import { BUILTIN_DATASETS, builtinConversations } from "./builtin-datasets.js";
import { formatMaskedConversation } from "./chat/mask-spans.js";
import { renderConversation } from "./chat/render-conversation.js";
import { mixConversations } from "./datasets/mixture.js";
import { readConversations } from "./datasets/read-conversations.js";
import { ByteTokenizer } from "./testing/byte-tokenizer.js";
import { trainSft } from "./train/train-sft.js";

export interface CliIo extends CoreCliIo {
  /** Whether to colour output. Default true. */
  color?: boolean;
  /** The process environment (only VK_DRIVER_FILES / VK_ICD_FILENAMES are read, for webgpu's hint). */
  env?: Readonly<Record<string, string | undefined>>;
}

export const USAGE = `llm-sft <command> [options]

commands:
  data   --builtin <name,...> --out <file.jsonl> [--split train|eval] [--seed 0]
  render --tokenizer <tokenizer.json|bytes> (--conversation <file.json|file.jsonl> | --builtin <name>) [--index 0] [--no-color]
  train  --base <checkpoint dir> --tokenizer <tokenizer.json|bytes> --out <checkpoint dir>
         (--data <file.jsonl,...> | --builtin <name,...>) [--val-fraction 0.05] [--steps N] [--epochs 1]
         [--batch-size 8] [--seq-len N] [--mode pack|pad] [--lr 3e-4] [--warmup 0] [--eval-every 0]
         [--seed 0] [--backend auto]

built-in datasets: ${BUILTIN_DATASETS.join(", ")}`;

type Flags = CliFlags;
/** Every flag llm-sft accepts (strict: any other is an error listing these). */
const FLAGS: CliFlagSpec = {
  backend: "string",
  base: "string",
  "batch-size": "string",
  builtin: "string",
  conversation: "string",
  data: "string",
  epochs: "string",
  "eval-every": "string",
  index: "string",
  lr: "string",
  mode: "string",
  out: "string",
  seed: "string",
  "seq-len": "string",
  split: "string",
  steps: "string",
  tokenizer: "string",
  "val-fraction": "string",
  warmup: "string",
  "no-color": "boolean",
};

const parseArgs = (argv: readonly string[]) => parseCliFlags(argv, FLAGS);
const str = flagString;
const num = flagNumber;

function required(flags: Flags, name: string): string {
  return requiredFlag(flags, name, "See llm-sft --help.");
}

async function loadTokenizer(spec: string): Promise<Tokenizer> {
  return spec === "bytes" ? new ByteTokenizer() : await BpeTokenizer.load(spec);
}

function builtins(flags: Flags, split: "train" | "eval" = "train"): Conversation[] {
  const names = (str(flags, "builtin") ?? "").split(",").filter((n) => n !== "");
  const seed = num(flags, "seed") ?? 0;
  return names.flatMap((name) => builtinConversations(name, seed)[split]);
}

function stepLine(e: StepEvent): string {
  const val = e.valLoss === undefined ? "" : ` val ${e.valLoss.toFixed(4)}`;
  return `step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)}${val} lr ${e.lr.toExponential(2)} ${Math.round(e.tokensPerSecond ?? 0)} tok/s`;
}

async function commandData(flags: Flags, io: CliIo): Promise<number> {
  const split = (str(flags, "split") ?? "train") as "train" | "eval";
  const conversations = builtins(flags, split);
  const out = required(flags, "out");
  await writeFileAtomic(
    out,
    conversations.map((c) => JSON.stringify(c)).join("\n") + (conversations.length > 0 ? "\n" : ""),
  );
  io.out(`wrote ${conversations.length} conversations to ${out}`);
  return 0;
}

async function commandRender(flags: Flags, io: CliIo): Promise<number> {
  const tokenizer = await loadTokenizer(required(flags, "tokenizer"));
  const file = str(flags, "conversation");
  const conversations = file ? await readConversations(file) : builtins(flags);
  const index = num(flags, "index") ?? 0;
  const conversation = conversations[index];
  if (!conversation) {
    throw new LlmError("INVALID_ARGUMENT", `There is no conversation ${index}.`, {
      input: `--index ${index}`,
      hint: `Pick an index below ${conversations.length}.`,
    });
  }
  const rendered = renderConversation(conversation, tokenizer);
  const color = !flags.has("no-color") && io.color !== false;
  io.out(formatMaskedConversation(rendered, tokenizer, { color }));
  const trained = rendered.mask.reduce((a, b) => a + b, 0);
  io.out(`${rendered.ids.length} tokens, ${trained} trained (${color ? "green" : "[[bracketed]]"})`);
  return 0;
}

async function commandTrain(flags: Flags, io: CliIo): Promise<number> {
  // One writer per checkpoint folder: LOCKED while another live process writes it.
  const lock = await acquireRunLock(required(flags, "out"), {
    command: "llm-sft train",
    listeners: { onLog: (e) => io.err(e.message) },
  });
  try {
    return await trainLocked(flags, io);
  } finally {
    await lock.release();
  }
}

async function trainLocked(flags: Flags, io: CliIo): Promise<number> {
  await initBackend((str(flags, "backend") ?? "auto") as BackendName, {
    listeners: { onLog: (e) => io.err(e.message) },
    vulkanDriverFiles: vulkanDriverFilesOf(io.env ?? {}),
  });
  const tokenizer = await loadTokenizer(required(flags, "tokenizer"));
  const base = await loadCheckpoint(required(flags, "base"));
  const files = (str(flags, "data") ?? "").split(",").filter((f) => f !== "");
  const sources = [];
  for (const file of files) sources.push({ name: file, conversations: await readConversations(file) });
  for (const name of (str(flags, "builtin") ?? "").split(",").filter((n) => n !== "")) {
    sources.push({ name, conversations: builtinConversations(name, num(flags, "seed") ?? 0).train });
  }
  if (sources.length === 0) {
    throw new LlmError("INVALID_ARGUMENT", "No training data.", {
      input: "--data/--builtin",
      hint: "Pass --data <file.jsonl> or --builtin <name>.",
    });
  }
  const mix = mixConversations(sources, {
    seed: num(flags, "seed") ?? 0,
    valFraction: num(flags, "val-fraction") ?? 0.05,
  });
  io.err(
    `training on ${mix.train.length} conversations (${Object.entries(mix.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}), ${mix.val.length} for validation`,
  );
  const steps = num(flags, "steps");
  const seqLen = num(flags, "seq-len");
  const mode = str(flags, "mode") as "pack" | "pad" | undefined;
  const result = await trainSft(
    base.model,
    mix.train,
    {
      tokenizer,
      batchSize: num(flags, "batch-size") ?? 8,
      ...(steps !== undefined ? { steps } : {}),
      epochs: num(flags, "epochs") ?? 1,
      ...(seqLen !== undefined ? { seqLen } : {}),
      ...(mode !== undefined ? { mode } : {}),
      lr: num(flags, "lr") ?? 3e-4,
      warmupSteps: num(flags, "warmup") ?? 0,
      evalEvery: num(flags, "eval-every") ?? 0,
      valConversations: mix.val,
      checkpointDir: required(flags, "out"),
      seed: num(flags, "seed") ?? 0,
    },
    { onStep: (e) => io.err(stepLine(e)), onLog: (e) => io.err(e.message) },
  );
  base.model.dispose();
  io.out(
    `saved ${required(flags, "out")} after ${result.steps} steps${result.valLoss === undefined ? "" : `, val loss ${result.valLoss.toFixed(4)}`}`,
  );
  return 0;
}

/** Runs one command; returns the exit code. Errors are printed with their hint. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const { positional, flags } = parsed;
  const command = positional.shift();
  if (command === undefined || flags.has("help") || command === "help") {
    io.out(USAGE);
    return command === undefined && !flags.has("help") ? 1 : 0;
  }
  try {
    switch (command) {
      case "data":
        return await commandData(flags, io);
      case "render":
        return await commandRender(flags, io);
      case "train":
        return await commandTrain(flags, io);
      default:
        io.err(`unknown command ${command}\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
