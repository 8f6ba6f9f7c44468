/**
 * ScriptedGenerator: a TokenGenerator that continues prompts from a script instead of a model, and
 * MemorizingGenerator, one whose script is a corpus: it continues any prompt that is a prefix of a
 * memorised text with that text's next tokens, and anything else with a filler token. That is the
 * ideal "repeater" the base-model probe looks for. Reference: none. Leaves out: sampling.
 */
import type { GenerateOptions, TokenGenerator, Tokenizer } from "@llm/core";

export class ScriptedGenerator implements TokenGenerator {
  private readonly script: (prompt: readonly number[], options: GenerateOptions) => readonly number[];

  constructor(script: (prompt: readonly number[], options: GenerateOptions) => readonly number[]) {
    this.script = script;
  }

  async *generate(prompt: readonly number[], options: GenerateOptions = {}): AsyncIterable<number> {
    const ids = this.script(prompt, options);
    const max = options.maxTokens ?? 64;
    const stop = new Set(options.stop ?? []);
    for (const id of ids.slice(0, max)) {
      if (stop.has(id)) return;
      yield id;
    }
  }
}

/**
 * Continues memorised texts (strings, or token ids as trained, e.g. with <|bos|> in front)
 * verbatim; `filler` (default: the tokenizer's encoding of " the") repeated elsewhere.
 */
export class MemorizingGenerator extends ScriptedGenerator {
  constructor(
    tokenizer: Tokenizer,
    memorised: ReadonlyArray<string | readonly number[]>,
    filler?: readonly number[],
  ) {
    const corpus = memorised.map((text) => (typeof text === "string" ? tokenizer.encode(text) : text));
    const pad = filler ?? tokenizer.encode(" the");
    super((prompt, options) => {
      const max = options.maxTokens ?? 64;
      for (const ids of corpus) {
        if (ids.length > prompt.length && prompt.every((id, i) => ids[i] === id)) {
          return ids.slice(prompt.length, prompt.length + max);
        }
      }
      const out: number[] = [];
      while (out.length < max) out.push(...pad);
      return out.slice(0, max);
    });
  }
}
