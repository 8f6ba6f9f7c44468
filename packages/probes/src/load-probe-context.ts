/**
 * loadProbeContext: builds a ProbeContext from a pipeline run folder (runs/<name>/ of
 * architecture.md): the run's tokenizer (tokenizer/tokenizer.json), every checkpoint it has (base/,
 * sft/, sft-answer-first/, rl/) as @llm/engine chat engines sharing one QuickJS tool sandbox (the
 * base model as a ContinuationEngine that continues raw text, and as the repeater's generator),
 * the sandbox's search() over the run's corpus (data/train.jsonl and data/val.jsonl, when the run
 * has them), and the probes' inputs: the held-out sets the pipeline wrote
 * (eval/sft.json, eval/rl.json), the identity name from config.json (sft.identity.name) and,
 * for the repeater probe, the passages of data/memorization.json (groups seen a known number of
 * times in pretraining, and held-out ones) or else passages of data/train.jsonl and data/val.jsonl. Missing pieces are left
 * out (probes that need them are skipped, or use their defaults). The caller picks the tensor
 * backend first (initBackend of @llm/model) and calls dispose() at the end.
 * Reference: the pipeline's probes stage. Leaves out: downloading runs; partial checkpoints.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ChatEngine, ModelStage, ProbeContext, Task } from "@llm/core";
import { checkpointPaths, LlmError, RUN_CHECKPOINTS, runPaths, streamJsonl } from "@llm/core";
import type { ToolLoopGuardOptions, WordStepGuardMode } from "@llm/engine";
import { ContinuationEngine } from "./continuation-engine.js";

/** @llm/engine's ToolLoopGuardOptions (a type import: @llm/engine itself is still loaded lazily). */
export type LoopGuardLimits = ToolLoopGuardOptions;

export interface LoadProbeContextOptions {
  /** Items taken from each held-out set and passages from each text file. Default 24. */
  itemsPerProbe?: number;
  /** Characters of each repeater passage. Default 400. */
  passageChars?: number;
  /** Run tool calls in the QuickJS sandbox. Default true. */
  tools?: boolean;
  /**
   * Give the sandbox `search(query)` over the run's corpus (data/train.jsonl and data/val.jsonl),
   * for models taught to look entities up. Default true (a model never taught it never calls it).
   */
  search?: boolean;
  /**
   * Chat engines with @llm/engine's copyGuard (a tool call's strings can only copy the user's
   * words). Default false.
   */
  copyGuard?: boolean;
  /** With copyGuard: guard only tool calls of these functions. Default: every call. */
  copyGuardCalls?: readonly string[];
  /**
   * Chat engines with @llm/engine's wordStepGuard: word-counting steps copy the question's words
   * ("word") or a contiguous run of them ("run"). Default: off.
   */
  wordStepGuard?: WordStepGuardMode;
  /**
   * Chat engines with @llm/engine's numberGuardCalls: the number literals of tool calls of these
   * functions (e.g. ["Math.max", "Math.min"]) can only be copies of the user's numbers. Default none.
   */
  numberGuardCalls?: readonly string[];
  /**
   * Chat engines with @llm/engine's answerGuard: after a tool output, the "####" answer's number is
   * a copy of a number of that output. Default false.
   */
  answerGuard?: boolean;
  /**
   * Chat engines with @llm/engine's loopGuard (no short piece repeated more than twice back to back
   * in a tool call or the reply, no tool-call string past 40 characters); an object sets its
   * limits (@llm/engine ToolLoopGuardOptions, e.g. { scope: "tool" }). Default false.
   */
  loopGuard?: boolean | LoopGuardLimits;
  /**
   * Chat engines with @llm/engine's toolGrammar: a tool call's code is a well-formed call
   * `name(literal, ...)` of one of the sandbox's tools (true) or of the listed names. Default false.
   */
  toolGrammar?: boolean | readonly string[];
  /**
   * Chat engines with this @llm/engine toolOutputRoom: tokens kept free for the reply after a tool
   * output, a longer output cut to fit; false: outputs forced whole. Default: the engine's (seqLen / 4).
   */
  toolOutputRoom?: number | false;
  /** Extra inputs, merged over what the run provides. */
  inputs?: Record<string, unknown>;
  /** Seed given to the probes. Default: config.json's seed, else 0. */
  seed?: number;
}

export interface LoadedProbeContext {
  context: ProbeContext;
  /** Checkpoint folders that were loaded, e.g. ["base", "sft"]. */
  models: string[];
  /** Frees model tensors and stops the tool sandbox. */
  dispose(): Promise<void>;
}

interface EvalSets {
  identity?: Task[];
  knowledge?: Task[];
  arithmetic?: Task[];
  letterCount?: Task[];
  decimalCompare?: Task[];
}

async function readJson<T>(path: string): Promise<T | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch (cause) {
    throw new LlmError("FILE_CORRUPT", "A run file is not valid JSON.", {
      input: path,
      hint: "Re-run the pipeline stage that writes it.",
      cause,
    });
  }
}

async function passages(path: string, count: number, chars: number): Promise<string[]> {
  const out: string[] = [];
  if (count <= 0) return out;
  const documents = streamJsonl<{ text?: unknown; metadata?: { source?: unknown } }>(path, {
    missingIsEmpty: true,
    hint: "Re-run the pipeline's data stage, which writes the documents.",
  });
  for await (const doc of documents) {
    if (typeof doc.text !== "string" || doc.text.length < chars || doc.metadata?.source === "knowledge")
      continue;
    out.push(doc.text.slice(0, chars));
    if (out.length >= count) break;
  }
  return out;
}

export async function loadProbeContext(
  runDir: string,
  options: LoadProbeContextOptions = {},
): Promise<LoadedProbeContext> {
  const paths = runPaths(runDir);
  const root = paths.root;
  const tokenizerPath = paths.tokenizerJson;
  if (!existsSync(root)) {
    throw new LlmError("FILE_NOT_FOUND", "The run folder does not exist.", {
      input: root,
      hint: "Pass a folder written by the pipeline, e.g. runs/<name>.",
    });
  }
  if (!existsSync(tokenizerPath)) {
    throw new LlmError("FILE_NOT_FOUND", "The run has no tokenizer.", {
      input: tokenizerPath,
      hint: "Run the pipeline's tokenizer stage first.",
    });
  }
  const [
    { BpeTokenizer },
    { Generator, loadCheckpoint },
    { SftChatEngine, ToolSandbox, readRunSearchDocuments },
  ] = await Promise.all([import("@llm/tokenizer"), import("@llm/model"), import("@llm/engine")]);
  const tokenizer = await BpeTokenizer.load(tokenizerPath);
  const models = new Map<string, Awaited<ReturnType<typeof loadCheckpoint>>["model"]>();
  const documents =
    options.tools === false || options.search === false ? [] : await readRunSearchDocuments(root);
  const sandbox =
    options.tools === false
      ? undefined
      : await ToolSandbox.create(documents.length > 0 ? { search: { documents } } : {});
  const dispose = async () => {
    for (const model of models.values()) model.dispose();
    await sandbox?.close();
  };
  try {
    for (const folder of RUN_CHECKPOINTS) {
      const dir = paths.checkpoint(folder);
      if (existsSync(checkpointPaths(dir).model)) {
        models.set(folder, (await loadCheckpoint(dir, { vocabSize: tokenizer.vocabSize })).model);
      }
    }
    if (models.size === 0) {
      throw new LlmError("FILE_NOT_FOUND", "The run has no model checkpoint (base/, sft/ or rl/).", {
        input: root,
        hint: "Run the pipeline's pretraining stage first, or render an existing results.json instead.",
      });
    }
    const engine = (folder: string): ChatEngine | undefined => {
      const model = models.get(folder);
      return model
        ? new SftChatEngine({
            model,
            tokenizer,
            ...(sandbox ? { sandbox } : {}),
            defaults: {
              temperature: 0,
              ...(options.copyGuard ? { copyGuard: true } : {}),
              ...(options.copyGuardCalls ? { copyGuardCalls: options.copyGuardCalls } : {}),
              ...(options.wordStepGuard ? { wordStepGuard: options.wordStepGuard } : {}),
              ...(options.numberGuardCalls ? { numberGuardCalls: options.numberGuardCalls } : {}),
              ...(options.answerGuard ? { answerGuard: true } : {}),
              ...(options.toolGrammar ? { toolGrammar: options.toolGrammar } : {}),
              ...(options.toolOutputRoom !== undefined ? { toolOutputRoom: options.toolOutputRoom } : {}),
              ...(options.loopGuard
                ? {
                    loopGuard: true,
                    ...(typeof options.loopGuard === "object" ? { loopGuardLimits: options.loopGuard } : {}),
                  }
                : {}),
            },
          })
        : undefined;
    };
    const base = models.get("base");
    const generator = base ? new Generator(base) : undefined;
    const engines: Partial<Record<ModelStage, ChatEngine>> = {};
    if (generator) engines.base = new ContinuationEngine({ generator, tokenizer });
    for (const stage of ["sft", "rl"] as const) {
      const e = engine(stage);
      if (e) engines[stage] = e;
    }
    const variants: Record<string, ChatEngine> = {};
    const stepsFirst = engine("sft");
    const answerFirst = engine("sft-answer-first");
    if (stepsFirst && answerFirst)
      Object.assign(variants, { "steps-first": stepsFirst, "answer-first": answerFirst });

    const n = options.itemsPerProbe ?? 24;
    const chars = options.passageChars ?? 400;
    const config = await readJson<{ seed?: number; sft?: { identity?: { name?: string } } }>(paths.config);
    const sets = await readJson<EvalSets>(paths.evalSet("sft"));
    const rlTasks = await readJson<Task[]>(paths.evalSet("rl"));
    const inputs: Record<string, unknown> = {};
    // passages seen a known number of times (the pipeline's data.memorization), else plain text
    const memorization = await readJson<{ groups?: unknown; heldOut?: unknown }>(paths.memorization);
    const trainingText = memorization ? [] : await passages(paths.trainDocuments, n, chars);
    if (memorization) {
      inputs["base-model-as-repeater"] = { repeated: memorization.groups, heldOutText: memorization.heldOut };
    } else if (trainingText.length > 0) {
      inputs["base-model-as-repeater"] = {
        trainingText,
        heldOutText: await passages(paths.valDocuments, n, chars),
      };
    }
    const name = config?.sft?.identity?.name;
    if (name) {
      inputs.identity = {
        name,
        ...(sets?.identity
          ? {
              prompts: sets.identity.map((t) => ({
                prompt: t.prompt,
                lang: String(t.metadata?.lang ?? "en"),
              })),
            }
          : {}),
      };
    }
    if (sets?.knowledge) {
      inputs["knowledge-and-refusal"] = {
        known: sets.knowledge.filter((t) => t.metadata?.known === true).slice(0, n),
        unknown: sets.knowledge.filter((t) => t.metadata?.known !== true).slice(0, n),
      };
    }
    if (sets?.letterCount) inputs["letter-counting"] = sets.letterCount.slice(0, n);
    if (sets?.decimalCompare) inputs["decimal-comparison"] = sets.decimalCompare.slice(0, n);
    if (sets?.arithmetic) inputs["reasoning-order"] = sets.arithmetic.slice(0, n);
    if (rlTasks) inputs["rl-gain"] = { tasks: rlTasks.slice(0, n) };
    const context: ProbeContext = {
      tokenizer,
      engines,
      variants,
      inputs: { ...inputs, ...options.inputs },
      seed: options.seed ?? config?.seed ?? 0,
      ...(generator ? { generators: { base: generator } } : {}),
    };
    return { context, models: [...models.keys()], dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
