/**
 * @llm/core: the contracts every @llm package shares. Types and a few dependency-free helpers
 * (errors, seeded RNG, atomic writes, worker start-up, the run folder's layout, JSONL reading,
 * strict CLI parsing, terminal colours); no tensor library.
 */

export { tempPathFor, writeFileAtomic, writeJsonAtomic } from "./atomic-write.js";
export type { CliFlagSpec, CliFlags, CliIo, CliOptions, ParsedCliOptions } from "./cli-flags.js";
export { flagNumber, flagString, parseCliFlags, parseCliOptions, requiredFlag } from "./cli-flags.js";
export type {
  ChatDoneEvent,
  ChatEngine,
  ChatEvent,
  ChatOptions,
  Conversation,
  Message,
  Role,
  ToolCall,
} from "./conversation.js";
export { createWorker } from "./create-worker.js";
export type { Document, DocumentFilter, ExclusionReason, FilterDecision } from "./document.js";
export type { LlmErrorCode, LlmErrorOptions } from "./errors.js";
export { isLlmError, LlmError } from "./errors.js";
export type { Listeners, LogEvent, ProgressEvent, StepEvent } from "./events.js";
export type { JsonlOptions } from "./jsonl.js";
export { jsonlLineError, parseJsonl, readJsonl, streamJsonl } from "./jsonl.js";
export type { GenerateOptions, GptConfig, LanguageModel, ModelStage, TokenGenerator } from "./model.js";
export { importOptionalPeer, isModuleNotFound, resolveOptionalPeer } from "./optional-peer.js";
export type { Probe, ProbeContext, ProbeResult, Transcript } from "./probe.js";
export type { RngState } from "./rng.js";
export { hashString, Rng } from "./rng.js";
export type {
  CheckpointFile,
  CheckpointPaths,
  EvalSetStage,
  RunCheckpoint,
  RunLayoutEntry,
  RunPaths,
  RunStage,
} from "./run-layout.js";
export {
  CHECKPOINT_FILES,
  CHECKPOINT_WRITTEN_BY,
  checkpointPaths,
  RUN_CHECKPOINTS,
  RUN_LAYOUT,
  RUN_STAGES,
  runPaths,
  STAGE_OUTPUTS,
  TOKENIZER_FILES,
} from "./run-layout.js";
export type { RunLock, RunLockHolder, RunLockOptions } from "./run-lock.js";
export { acquireRunLock, lockPathFor, processAlive } from "./run-lock.js";
export type { RewardFunction, RewardResult, Task } from "./task.js";
export type { TerminalStyle } from "./terminal-style.js";
export { colorEnabled, paint } from "./terminal-style.js";
export type { EncodeOptions, SpecialToken, Tokenizer } from "./tokenizer.js";
export { SPECIAL_TOKENS } from "./tokenizer.js";
export type {
  Batch,
  BatchPosition,
  BatchSource,
  TokenDtype,
  TokenShardHeader,
  TokenShardReader,
  TokenShardWriter,
} from "./tokens.js";
export type { WatchParentOptions } from "./watch-parent.js";
export { launcherPids, watchParent } from "./watch-parent.js";
