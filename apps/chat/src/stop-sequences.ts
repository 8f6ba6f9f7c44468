/**
 * StopSequences: OpenAI's `stop` on a stream of visible text. It passes text through until one
 * of the stop strings appears, cuts the reply just before it, and holds back any tail that could
 * still become a stop string, so a streamed reply never shows part of one. Reference: the OpenAI
 * Chat Completions `stop` parameter (up to 4 sequences, not included in the output).
 * Leaves out: stop sequences inside tool code and outputs (only the visible answer is matched).
 */

export class StopSequences {
  private held = "";
  private done = false;

  constructor(private readonly stops: readonly string[]) {}

  /** True once a stop string was seen: the reply is over. */
  get stopped(): boolean {
    return this.done;
  }

  /** Feeds visible text; returns what may be shown now. */
  push(text: string): string {
    if (this.done || this.stops.length === 0) return this.done ? "" : text;
    const buffer = this.held + text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.done = true;
      this.held = "";
      return buffer.slice(0, cut);
    }
    // Hold back the longest tail that is a prefix of a stop string.
    let keep = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, buffer.length); n > keep; n--) {
        if (buffer.endsWith(stop.slice(0, n))) {
          keep = n;
          break;
        }
      }
    }
    this.held = buffer.slice(buffer.length - keep);
    return buffer.slice(0, buffer.length - keep);
  }

  /** The held-back tail, once the reply ended without a stop string. */
  flush(): string {
    const rest = this.done ? "" : this.held;
    this.held = "";
    return rest;
  }
}
