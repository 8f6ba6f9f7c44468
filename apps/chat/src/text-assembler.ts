/**
 * TextAssembler: turns a stream of generated token texts into the assistant's visible text,
 * hiding chat markup (special tokens) and the code and output that sit between the tool tokens
 * (those arrive whole as tool_call / tool_output events). It keeps the code of a call still being
 * written, so a reply that ends inside a tool call (the model never wrote <|python_end|>) can show
 * that partial code as unfinished instead of coming back blank. Reference: nanochat's web UI,
 * which shows tool use apart from the answer. Leaves out: partial UTF-8 (the engine's tokens are text).
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
  private code: string[] = [];

  /** Feeds one token's text; returns the visible text it adds ("" for markup or tool text). */
  push(text: string): string {
    if (text === CODE_START) {
      this.inCode = true;
      this.code = [];
    } else if (text === CODE_END) this.inCode = false;
    else if (text === OUTPUT_START) this.inOutput = true;
    else if (text === OUTPUT_END) this.inOutput = false;
    if (MARKUP.test(text)) return "";
    if (this.inCode) {
      this.code.push(text);
      return "";
    }
    if (this.inOutput) return "";
    this.parts.push(text);
    return text;
  }

  /** The code of a tool call that was opened and not closed (undefined when none is open). */
  get unfinishedCode(): string | undefined {
    return this.inCode ? this.code.join("") : undefined;
  }

  get text(): string {
    return this.parts.join("");
  }
}
