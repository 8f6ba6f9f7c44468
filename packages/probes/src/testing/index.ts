/**
 * @llm/probes/testing: scripted stand-ins for models, for tests of probes and of anything that
 * consumes a ChatEngine, TokenGenerator or Tokenizer.
 */
export { CharTokenizer } from "./char-tokenizer.js";
export type { ChatScript, ScriptCall, ScriptedTurn } from "./scripted-chat-engine.js";
export { ScriptedChatEngine } from "./scripted-chat-engine.js";
export { MemorizingGenerator, ScriptedGenerator } from "./scripted-generator.js";
export type { ScriptedProbeContextOptions } from "./scripted-probe-context.js";
export {
  createScriptedProbeContext,
  SCRIPTED_HELD_OUT_TEXT,
  SCRIPTED_TRAINING_TEXT,
} from "./scripted-probe-context.js";
