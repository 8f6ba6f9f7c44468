/**
 * TextAssembler: turns a stream of generated token texts into the assistant's visible text,
 * hiding chat markup (special tokens) and the code and output that sit between the tool tokens
 * (those arrive whole as tool_call / tool_output events). Reference: nanochat's web UI, which
 * shows tool use apart from the answer. Leaves out: partial UTF-8 (the engine's tokens are text).
 */

const CODE_START = "<|python_start|>";
const CODE_END = "<|python_end|>";
const OUTPUT_START = "<|output_start|>";
const OUTPUT_END = "<|output_end|>";
const MARKUP = /^<\|[a-z_]+\|>$/;

export class TextAssembler {
  private inCode = false;
  private inOutput = false;
  private readonly parts: string[] = [];

  /** Feeds one token's text; returns the visible text it adds ("" for markup or tool text). */
  push(text: string): string {
    if (text === CODE_START) this.inCode = true;
    else if (text === CODE_END) this.inCode = false;
    else if (text === OUTPUT_START) this.inOutput = true;
    else if (text === OUTPUT_END) this.inOutput = false;
    if (MARKUP.test(text) || this.inCode || this.inOutput) return "";
    this.parts.push(text);
    return text;
  }

  get text(): string {
    return this.parts.join("");
  }
}
