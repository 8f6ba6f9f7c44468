/**
 * The Probe contract: a measured demonstration of one claim about LLM behaviour. A probe runs
 * against what a pipeline run produced and returns numbers, a few transcripts and a finding
 * sentence written from those numbers. Reference: the claims of "Deep Dive into LLMs like
 * ChatGPT". Leaves out: how models are loaded (the caller builds the ProbeContext).
 */
import type { ChatEngine } from "./conversation.js";
import type { ModelStage, TokenGenerator } from "./model.js";
import type { Tokenizer } from "./tokenizer.js";

export interface Transcript {
  /** Which model or variant produced it ("base", "sft", "rl", "answer-first", ...). */
  model: string;
  prompt: string;
  output: string;
  /** Whether the output was judged correct, where that applies. */
  correct?: boolean;
}

export interface ProbeResult {
  name: string;
  title: string;
  /** Named numbers, e.g. { "sft.toolAccuracy": 0.94 }. */
  metrics: Record<string, number>;
  examples: Transcript[];
  /** One sentence derived from the metrics, never pre-written. */
  finding: string;
  /** Extra structured data for renderers (token splits, tables). */
  details?: Record<string, unknown>;
}

/** What probes can use: our tokenizer, models by stage, and extra named engines. */
export interface ProbeContext {
  tokenizer?: Tokenizer;
  /** Chat engines by stage; base models are wrapped so that they continue raw text. */
  engines: Partial<Record<ModelStage, ChatEngine>>;
  /** Raw-text continuation by stage (base model as a repeater). */
  generators?: Partial<Record<ModelStage, TokenGenerator>>;
  /** Other named engines, e.g. "answer-first" and "steps-first" SFT variants. */
  variants?: Record<string, ChatEngine>;
  /** Probe-specific inputs (held-out sets, identity config, training text samples). */
  inputs?: Record<string, unknown>;
  seed?: number;
}

export interface Probe {
  readonly name: string;
  readonly title: string;
  /** One sentence: the claim being tested. */
  readonly claim: string;
  run(context: ProbeContext): Promise<ProbeResult>;
}
