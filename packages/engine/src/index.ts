/**
 * @llm/engine: inference over a chat model trained with @llm/sft. A chat engine that streams
 * tokens, reuses the KV cache across turns and runs the assistant's tool calls; the QuickJS
 * (WebAssembly) sandbox those calls run in, with time and memory limits and no host access; and
 * the corpus search() the sandbox can offer. Reference: nanochat's engine.py, kept apart from
 * training as there. See README.md.
 */

export type { ChatEngineConfig, ChatTurn, FittedContext, SftChatOptions } from "./chat-engine.js";
export { ContextOverflowError, collectChat, SftChatEngine, turnText } from "./chat-engine.js";
export type { CorpusSearchOptions } from "./corpus-search.js";
export { CorpusSearch } from "./corpus-search.js";
export { fitToolOutput } from "./fit-tool-output.js";
export { NumberCopyGuard, numbersIn, openAnswer, runsAreCopies } from "./number-copy-guard.js";
export { readRunSearchDocuments, readSearchDocuments } from "./read-search-documents.js";
export type { ToolErrorKind, ToolResult } from "./run-in-quickjs.js";
export { openString, ToolCopyGuard } from "./tool-copy-guard.js";
export type { ToolCallPhase, ToolCallState } from "./tool-grammar-guard.js";
export { callState, isToolCall, ToolGrammarGuard } from "./tool-grammar-guard.js";
export type { ToolLoopGuardOptions } from "./tool-loop-guard.js";
export { LOOP_GUARD_DEFAULTS, repeatsPast, ToolLoopGuard } from "./tool-loop-guard.js";
export type { ToolSandboxOptions, ToolSearchOptions } from "./tool-sandbox.js";
export { MATH_FUNCTIONS, ToolSandbox } from "./tool-sandbox.js";
export type { WordStepGuardMode } from "./word-step-guard.js";
export { questionWords, WordStepGuard } from "./word-step-guard.js";
