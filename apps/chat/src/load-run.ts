/**
 * Loads what chatting with a pipeline run needs: the run's tokenizer (tokenizer/tokenizer.json),
 * a model checkpoint of the chosen stage (sft/ or rl/, base/ for raw continuation), the QuickJS
 * tool sandbox (with search() over the run's corpus, data/train.jsonl and data/val.jsonl, when the
 * run has them), and an SftChatEngine over them. Without a stage it opens the run's last finished
 * model stage (lastFinishedStage: rl, else sft, else base), read from the pipeline's stage markers
 * (`_stages/<stage>.json` with status "done"; the pretrain stage writes base/).
 * Reference: the run folder of architecture.md (runPaths of @llm/core).
 * Leaves out: choosing a backend (the CLI calls initBackend first) and hot reloading.
 */
import { existsSync, readFileSync } from "node:fs";
import { CHECKPOINT_WRITTEN_BY, checkpointPaths, LlmError, runPaths } from "@llm/core";
import { readRunSearchDocuments, SftChatEngine, ToolSandbox, type WordStepGuardMode } from "@llm/engine";
import { loadCheckpoint } from "@llm/model";
import { BpeTokenizer } from "@llm/tokenizer";

export type ChatStage = "sft" | "rl" | "base";

/** Best first: the model stages in the order the default tries them. */
const PREFERENCE: readonly ChatStage[] = ["rl", "sft", "base"];

/** Whether the pipeline marked the stage that writes `stage` as done (`_stages/<stage>.json`). */
function markedDone(root: string, stage: ChatStage): boolean {
  const marker = runPaths(root).marker(CHECKPOINT_WRITTEN_BY[stage]);
  if (!existsSync(marker)) return false;
  try {
    return (JSON.parse(readFileSync(marker, "utf8")) as { status?: unknown }).status === "done";
  } catch {
    return false; // a torn marker is an unfinished stage, as for the pipeline's resume
  }
}

/**
 * The run's best model: the last finished stage of rl, sft, base, by the pipeline's stage markers.
 * A folder without `_stages/` (made by hand) falls back to the first of those with a checkpoint.
 * Throws FILE_NOT_FOUND when there is none.
 */
export function lastFinishedStage(runDir: string): { stage: ChatStage; by: "markers" | "checkpoints" } {
  const paths = runPaths(runDir);
  const root = paths.root;
  const hasCheckpoint = (stage: ChatStage) => existsSync(paths.checkpointFiles(stage).config);
  const useMarkers = existsSync(paths.stages);
  for (const stage of PREFERENCE) {
    if (hasCheckpoint(stage) && (!useMarkers || markedDone(root, stage))) {
      return { stage, by: useMarkers ? "markers" : "checkpoints" };
    }
  }
  throw new LlmError("FILE_NOT_FOUND", "The run has no finished model stage (rl, sft or base).", {
    input: root,
    hint: "Run `pnpm pipeline` at least through pretraining, or pass another --run.",
  });
}

/**
 * The `probes` section of the config the pipeline wrote to the run's `config.json`, where the
 * guard settings the run's probes measured with live; undefined when the run has no readable
 * config.json (an older run, a folder made by hand, a torn file): every guard then stays off.
 */
function runProbesConfig(runDir: string): Record<string, unknown> | undefined {
  const path = runPaths(runDir).config;
  if (!existsSync(path)) return undefined;
  try {
    const config = JSON.parse(readFileSync(path, "utf8")) as { preset?: { probes?: unknown } };
    const probes = config.preset?.probes;
    return typeof probes === "object" && probes !== null ? (probes as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** How the chat decodes tool-call strings: @llm/engine's copyGuard and the calls it guards. */
export interface CopyGuardSetting {
  copyGuard: boolean;
  /** Guard only calls of these functions; absent: every call. */
  copyGuardCalls?: readonly string[];
  /** @llm/engine's numberGuardCalls (number literals of these calls copied from the question). */
  numberGuardCalls?: readonly string[];
  /** @llm/engine's answerGuard (the "####" number copied from the tool's output). */
  answerGuard?: boolean;
  /** Where the setting came from. */
  by: "the run's probes config" | "--copy-guard" | "--no-copy-guard" | "default";
}

/**
 * The copy guard the run's probes measured with (`probes.copyGuard`, `probes.copyGuardCalls`,
 * `probes.numberGuardCalls`, `probes.answerGuard` of the config the pipeline wrote to
 * `config.json`), so that the chat answers as the report card says; off when the run has no such
 * config (an older run, a folder made by hand).
 */
export function runCopyGuard(runDir: string): CopyGuardSetting {
  const probes = runProbesConfig(runDir);
  const names = (list: unknown) =>
    Array.isArray(list) && list.every((c) => typeof c === "string") ? (list as string[]) : undefined;
  const numberCalls = names(probes?.numberGuardCalls);
  const numbers = {
    ...(numberCalls && numberCalls.length > 0 ? { numberGuardCalls: numberCalls } : {}),
    ...(probes?.answerGuard === true ? { answerGuard: true } : {}),
  };
  const any = Object.keys(numbers).length > 0;
  if (probes?.copyGuard !== true)
    return { copyGuard: false, ...numbers, by: any ? "the run's probes config" : "default" };
  const calls = names(probes.copyGuardCalls);
  return {
    copyGuard: true,
    ...(calls ? { copyGuardCalls: calls } : {}),
    ...numbers,
    by: "the run's probes config",
  };
}

/**
 * The word-step guard the run's probes measured with (`probes.wordStepGuard` of its config.json:
 * @llm/engine's copy-constrained word-counting steps), or undefined (off) when it has none.
 */
export function runWordStepGuard(runDir: string): WordStepGuardMode | undefined {
  const mode = runProbesConfig(runDir)?.wordStepGuard;
  return mode === "word" || mode === "run" ? mode : undefined;
}

/** Only the number guards of the run's probes config (runCopyGuard). */
function runNumberGuards(runDir: string): Pick<CopyGuardSetting, "numberGuardCalls" | "answerGuard"> {
  const { numberGuardCalls, answerGuard } = runCopyGuard(runDir);
  return { ...(numberGuardCalls ? { numberGuardCalls } : {}), ...(answerGuard ? { answerGuard } : {}) };
}

/** Whether the chat blocks loops in tool calls and replies (@llm/engine's loopGuard), and why. */
export interface LoopGuardSetting {
  loopGuard: boolean;
  /** Where the setting came from. */
  by: "the run's probes config" | "--loop-guard" | "--no-loop-guard" | "default";
}

/**
 * The loop guard the run's probes measured with (`probes.loopGuard` of its `config.json`, true or
 * its limits); off when the run has no such config or it is unreadable.
 */
export function runLoopGuard(runDir: string): LoopGuardSetting {
  const loop = runProbesConfig(runDir)?.loopGuard;
  return loop === true || (typeof loop === "object" && loop !== null)
    ? { loopGuard: true, by: "the run's probes config" }
    : { loopGuard: false, by: "default" };
}

/** Whether the chat holds tool calls to the tool-call grammar (@llm/engine's toolGrammar), and why. */
export interface ToolGrammarSetting {
  /** true: the sandbox's tools; a list: those names; false: off. */
  toolGrammar: boolean | readonly string[];
  /** Where the setting came from. */
  by: "the run's probes config" | "--tool-grammar" | "--no-tool-grammar" | "default";
}

/**
 * The tool-call grammar the run's probes measured with (`probes.toolGrammar` of its `config.json`,
 * true or a list of tool names); off when the run has no such config or it is unreadable.
 */
export function runToolGrammar(runDir: string): ToolGrammarSetting {
  const grammar = runProbesConfig(runDir)?.toolGrammar;
  if (grammar === true) return { toolGrammar: true, by: "the run's probes config" };
  if (Array.isArray(grammar) && grammar.length > 0 && grammar.every((n) => typeof n === "string"))
    return { toolGrammar: grammar as string[], by: "the run's probes config" };
  return { toolGrammar: false, by: "default" };
}

/** The tokens the chat keeps free for the reply after a tool output (@llm/engine's toolOutputRoom), and why. */
export interface ToolOutputRoomSetting {
  /** Tokens; false: outputs forced whole; undefined: the engine's default (seqLen / 4). */
  toolOutputRoom: number | false | undefined;
  by: "the run's probes config" | "--tool-output-room" | "default";
}

/** The tool-output room the run's probes asked with (`probes.toolOutputRoom`), else the engine's default. */
export function runToolOutputRoom(runDir: string): ToolOutputRoomSetting {
  const room = runProbesConfig(runDir)?.toolOutputRoom;
  if (room === false || (typeof room === "number" && Number.isInteger(room) && room >= 0))
    return { toolOutputRoom: room, by: "the run's probes config" };
  return { toolOutputRoom: undefined, by: "default" };
}

export interface LoadedRun {
  engine: SftChatEngine;
  tokenizer: BpeTokenizer;
  sandbox: ToolSandbox;
  info: Record<string, unknown>;
  /** Frees the model's tensors and stops the sandbox worker. */
  dispose(): Promise<void>;
}

/** Loads a run's model; without `chosen` the last finished stage (see lastFinishedStage). */
export async function loadRun(
  runDir: string,
  chosen?: ChatStage,
  /**
   * copyGuard true / false: on for every call (number guards as the run's probes) / every guard
   * off; absent: as the run's probes (runCopyGuard). loopGuard true / false: on / off; absent: as
   * the run's probes (runLoopGuard). toolGrammar true / false: on (the sandbox's tools) / off;
   * absent: as the run's probes (runToolGrammar). toolOutputRoom: tokens kept free for the reply
   * after a tool output (false: outputs whole); absent: as the run's probes (runToolOutputRoom).
   */
  options: {
    copyGuard?: boolean;
    loopGuard?: boolean;
    toolGrammar?: boolean;
    toolOutputRoom?: number | false;
  } = {},
): Promise<LoadedRun> {
  const paths = runPaths(runDir);
  const root = paths.root;
  if (!existsSync(root)) {
    throw new LlmError("FILE_NOT_FOUND", "The run folder does not exist.", {
      input: root,
      hint: "Train one first with `pnpm pipeline` (or pass --run runs/<name>).",
    });
  }
  const stage = chosen ?? lastFinishedStage(root).stage;
  const tokenizerPath = paths.tokenizerJson;
  const checkpointDir = paths.checkpoint(stage);
  if (!existsSync(checkpointPaths(checkpointDir).config)) {
    throw new LlmError("FILE_NOT_FOUND", `The run has no ${stage} checkpoint.`, {
      input: checkpointDir,
      hint: `Run the pipeline up to the ${stage} stage, or choose another with --stage.`,
    });
  }
  const tokenizer = await BpeTokenizer.load(tokenizerPath);
  const checkpoint = await loadCheckpoint(checkpointDir);
  const documents = await readRunSearchDocuments(root);
  const sandbox = await ToolSandbox.create(documents.length > 0 ? { search: { documents } } : {});
  // copyGuard: @llm/engine's copy-constrained tool-call strings, as the run's probes used them
  const guard: CopyGuardSetting =
    options.copyGuard === undefined
      ? runCopyGuard(root)
      : options.copyGuard
        ? { ...runNumberGuards(root), copyGuard: true, by: "--copy-guard" }
        : { copyGuard: false, by: "--no-copy-guard" };
  // wordStepGuard: word-counting steps copied from the question, as the run's probes asked
  const stepGuard = runWordStepGuard(root);
  // loopGuard: @llm/engine's repetition block in tool calls and replies, as the run's probes used it
  const loop: LoopGuardSetting =
    options.loopGuard === undefined
      ? runLoopGuard(root)
      : { loopGuard: options.loopGuard, by: options.loopGuard ? "--loop-guard" : "--no-loop-guard" };
  // toolGrammar: @llm/engine's tool-call grammar, as the run's probes used it
  const grammar: ToolGrammarSetting =
    options.toolGrammar === undefined
      ? runToolGrammar(root)
      : {
          toolGrammar: options.toolGrammar,
          by: options.toolGrammar ? "--tool-grammar" : "--no-tool-grammar",
        };
  // toolOutputRoom: a long tool output cut so that the question stays in the context
  const room: ToolOutputRoomSetting =
    options.toolOutputRoom === undefined
      ? runToolOutputRoom(root)
      : { toolOutputRoom: options.toolOutputRoom, by: "--tool-output-room" };
  const defaults = {
    ...(room.toolOutputRoom !== undefined ? { toolOutputRoom: room.toolOutputRoom } : {}),
    ...(grammar.toolGrammar ? { toolGrammar: grammar.toolGrammar } : {}),
    ...(loop.loopGuard ? { loopGuard: true } : {}),
    ...(guard.copyGuard ? { copyGuard: true } : {}),
    ...(guard.copyGuard && guard.copyGuardCalls ? { copyGuardCalls: guard.copyGuardCalls } : {}),
    ...(stepGuard ? { wordStepGuard: stepGuard } : {}),
    ...(guard.numberGuardCalls ? { numberGuardCalls: guard.numberGuardCalls } : {}),
    ...(guard.answerGuard ? { answerGuard: true } : {}),
  };
  const engine = new SftChatEngine({
    model: checkpoint.model,
    tokenizer,
    sandbox,
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
  });
  return {
    engine,
    tokenizer,
    sandbox,
    info: {
      run: root,
      stage,
      stageChosenBy: chosen ? "--stage" : "the run's last finished stage",
      parameters: checkpoint.model.parameterCount(),
      config: checkpoint.config,
      step: checkpoint.state.step,
      searchDocuments: documents.length,
      copyGuard: guard.copyGuard ? (guard.copyGuardCalls?.join(", ") ?? "every call") : "off",
      numberGuard:
        [
          ...(guard.numberGuardCalls ? [`numbers in ${guard.numberGuardCalls.join(", ")}`] : []),
          ...(guard.answerGuard ? ["#### answer"] : []),
        ].join("; ") || "off",
      copyGuardBy: guard.by,
      wordStepGuard: stepGuard ?? "off",
      loopGuard: loop.loopGuard ? "on" : "off",
      loopGuardBy: loop.by,
      toolGrammar:
        grammar.toolGrammar === true
          ? "the sandbox's tools"
          : grammar.toolGrammar === false
            ? "off"
            : grammar.toolGrammar.join(", "),
      toolGrammarBy: grammar.by,
      toolOutputRoom:
        room.toolOutputRoom === false
          ? "off"
          : `${room.toolOutputRoom ?? Math.floor(checkpoint.model.config.seqLen / 4)} tokens`,
      toolOutputRoomBy: room.by,
    },
    async dispose() {
      checkpoint.model.dispose();
      await sandbox.close();
    },
  };
}
