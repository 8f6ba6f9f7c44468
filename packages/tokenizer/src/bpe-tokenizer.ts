/**
 * BpeTokenizer: a byte-level BPE vocabulary (ordinary ids 0..N-1 are byte strings ranked by
 * merge order, special tokens above them) that encodes with tiktoken's WASM engine through its
 * custom-encoding constructor and decodes with its own byte table. The same class runs our
 * trained vocabularies and OpenAI's gpt2 / cl100k_base / o200k_base (see get-encoding.ts).
 * Reference: tiktoken (CoreBPE, the .tiktoken rank format), nanochat's RustBPETokenizer.
 *
 * Leaves out: training (train-bpe.ts) and file formats (tokenizer-file.ts, tiktoken-file.ts,
 * hf-tokenizer.ts). Encoding semantics are tiktoken's: repeatedly merge the adjacent pair whose
 * concatenated bytes have the lowest rank. Lone UTF-16 surrogates in the input cannot be
 * represented in UTF-8 and are encoded as U+FFFD, so they round-trip as U+FFFD.
 */
import {
  type EncodeOptions,
  LlmError,
  SPECIAL_TOKENS,
  type SpecialToken,
  type Tokenizer,
  writeJsonAtomic,
} from "@llm/core";
import { Tiktoken } from "tiktoken/lite";
import { gpt4FamilyDigits } from "./gpt4-splitter.js";
import { JsEncoder } from "./js-encoder.js";
import { preSplitter } from "./pre-splitter.js";
import { readTokenizerFile, type TokenizerFileV1, toTokenizerFile } from "./tokenizer-file.js";

export interface BpeTokenizerOptions {
  /** A short name, e.g. "ours-4096" or "cl100k_base". */
  name: string;
  /** The pre-split pattern in tiktoken (fancy-regex) syntax, e.g. DEFAULT_PATTERN. */
  pattern: string;
  /** Bytes of each ordinary token; the index is the id (and tiktoken's rank). */
  tokens: readonly Uint8Array[];
  /** Special token text -> id; ids must be >= tokens.length and distinct. */
  specialTokens: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** For trained vocabularies: merge i made id 256 + i from the pair [left, right]. */
  merges?: readonly (readonly [number, number])[];
  /** Precomputed tiktoken rank text for these tokens (saves rebuilding it). Default: built on demand. */
  tiktokenRanks?: string;
  /**
   * Which encoder runs ordinary text: "auto" uses our JS encoder (js-encoder.ts, same ids,
   * faster) when the pattern is in the GPT-4 family and tiktoken otherwise; "tiktoken" always
   * uses tiktoken. Text with allowed special tokens always goes to tiktoken. Default: "auto".
   */
  engine?: "auto" | "tiktoken";
  /** Unicode normalization applied before encoding (Qwen uses NFC). Default: none. */
  normalization?: "NFC" | "NFD" | "NFKC" | "NFKD";
}

function noSpecials(options: EncodeOptions): boolean {
  const allowed = options.allowedSpecial;
  return allowed === undefined || (allowed !== "all" && allowed.size === 0);
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export class BpeTokenizer implements Tokenizer {
  readonly name: string;
  readonly pattern: string;
  readonly vocabSize: number;
  /** Number of ordinary (non-special) ids: 0..ordinarySize-1. */
  readonly ordinarySize: number;
  readonly specialTokens: ReadonlyMap<string, number>;
  readonly merges: readonly (readonly [number, number])[] | undefined;
  readonly normalization: "NFC" | "NFD" | "NFKC" | "NFKD" | undefined;
  /** All token bytes back to back; token id spans offsets[id]..offsets[id+1]. */
  private readonly data: Uint8Array;
  private readonly offsets: Uint32Array;
  /** 1 for ids that exist (ordinary or special), 0 for gaps between special ids. */
  private readonly valid: Uint8Array;
  private readonly specialById = new Map<number, string>();
  private engine: Tiktoken | undefined;
  private ranksText: string | undefined;
  private jsEncoder: JsEncoder | undefined;
  /** Digit-run length of the GPT-4-family pattern for the JS encoder, or 0 to use tiktoken. */
  private readonly jsDigits: number;

  constructor(options: BpeTokenizerOptions) {
    this.name = options.name;
    this.pattern = options.pattern;
    this.merges = options.merges;
    this.normalization = options.normalization;
    this.ranksText = options.tiktokenRanks;
    this.jsDigits = options.engine === "tiktoken" ? 0 : gpt4FamilyDigits(options.pattern);
    this.ordinarySize = options.tokens.length;
    const specials =
      options.specialTokens instanceof Map
        ? new Map(options.specialTokens)
        : new Map(Object.entries(options.specialTokens as Record<string, number>));
    let maxId = this.ordinarySize - 1;
    for (const [text, id] of specials) {
      if (!Number.isInteger(id) || id < this.ordinarySize || this.specialById.has(id)) {
        throw new LlmError(
          "INVALID_CONFIG",
          `Special token ${text} has id ${id}, which is taken or below the ordinary vocabulary.`,
          {
            input: text,
            hint: `Give special tokens distinct ids >= ${this.ordinarySize}.`,
          },
        );
      }
      this.specialById.set(id, text);
      maxId = Math.max(maxId, id);
    }
    this.specialTokens = specials;
    this.vocabSize = maxId + 1;
    const specialBytes = new Map<number, Uint8Array>();
    let total = 0;
    for (const token of options.tokens) total += token.length;
    for (const [id, text] of this.specialById) {
      const bytes = utf8Encoder.encode(text);
      specialBytes.set(id, bytes);
      total += bytes.length;
    }
    this.data = new Uint8Array(total);
    this.offsets = new Uint32Array(this.vocabSize + 1);
    this.valid = new Uint8Array(this.vocabSize);
    let at = 0;
    for (let id = 0; id < this.vocabSize; id++) {
      this.offsets[id] = at;
      const bytes = id < this.ordinarySize ? options.tokens[id] : specialBytes.get(id);
      if (bytes === undefined) continue;
      this.valid[id] = 1;
      this.data.set(bytes, at);
      at += bytes.length;
    }
    this.offsets[this.vocabSize] = at;
  }

  /**
   * Builds a trained vocabulary: ids 0..255 are the bytes, merge i makes id 256 + i from its
   * pair, and the special tokens follow in order.
   */
  static fromMerges(
    merges: readonly (readonly [number, number])[],
    options: { name: string; pattern: string; specialTokens?: readonly string[] },
  ): BpeTokenizer {
    const tokens: Uint8Array[] = [];
    for (let byte = 0; byte < 256; byte++) tokens.push(Uint8Array.of(byte));
    for (const [index, [left, right]] of merges.entries()) {
      const a = tokens[left];
      const b = tokens[right];
      if (a === undefined || b === undefined) {
        throw new LlmError(
          "INVALID_CONFIG",
          `Merge ${index} refers to id ${a === undefined ? left : right}, which does not exist yet.`,
          {
            input: `merges[${index}]`,
            hint: "A merge may only combine byte ids or ids made by earlier merges.",
          },
        );
      }
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a);
      joined.set(b, a.length);
      tokens.push(joined);
    }
    const specialTokens = new Map<string, number>();
    for (const text of options.specialTokens ?? SPECIAL_TOKENS)
      specialTokens.set(text, tokens.length + specialTokens.size);
    return new BpeTokenizer({
      name: options.name,
      pattern: options.pattern,
      tokens,
      specialTokens,
      merges: merges.map(([l, r]) => [l, r] as const),
    });
  }

  /** Loads a tokenizer.json written by `save`; errors name the file and the problem. */
  static async load(path: string): Promise<BpeTokenizer> {
    return new BpeTokenizer(await readTokenizerFile(path));
  }

  /** Writes tokenizer.json atomically (see tokenizer-file.ts for the format). */
  async save(path: string): Promise<void> {
    await writeJsonAtomic(path, this.toJSON());
  }

  /** The tokenizer.json content. */
  toJSON(): TokenizerFileV1 {
    const tokens: Uint8Array[] = [];
    for (let id = 0; id < this.ordinarySize; id++) tokens.push(this.rawBytes(id));
    return toTokenizerFile({
      name: this.name,
      pattern: this.pattern,
      tokens,
      specialTokens: this.specialTokens,
      vocabSize: this.vocabSize,
      ...(this.merges ? { merges: this.merges } : {}),
      ...(this.normalization ? { normalization: this.normalization } : {}),
    });
  }

  /**
   * The tiktoken engine, built on first use. Its WASM memory is released by `free()`, or by
   * tiktoken's finalizer when this tokenizer is garbage-collected.
   */
  private get tiktoken(): Tiktoken {
    if (this.engine === undefined) {
      const special: Record<string, number> = {};
      for (const [text, id] of this.specialTokens) special[text] = id;
      this.engine = new Tiktoken(this.tiktokenRankText(), special, this.pattern);
    }
    return this.engine;
  }

  /**
   * The ordinary ranks in tiktoken's text format: one `base64(bytes) rank` line per id. When two
   * ids share the same bytes (possible, rarely, in BPE training) only the lower id is listed, as
   * tiktoken requires unique byte strings; the other still decodes.
   */
  toTiktokenRanks(): string {
    const seen = new Set<string>();
    const lines: string[] = [];
    const view = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    for (let id = 0; id < this.ordinarySize; id++) {
      const b64 = view.toString("base64", this.offsets[id], this.offsets[id + 1]);
      if (seen.has(b64)) continue;
      seen.add(b64);
      lines.push(`${b64} ${id}`);
    }
    return `${lines.join("\n")}\n`;
  }

  /** The rank text handed to tiktoken's constructor (either of its formats), built once. */
  tiktokenRankText(): string {
    this.ranksText ??= this.toTiktokenRanks();
    return this.ranksText;
  }

  /** Releases the WASM memory of the encoder now; the next encode builds it again. */
  free(): void {
    this.engine?.free();
    this.engine = undefined;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    if (this.jsDigits > 0 && noSpecials(options)) {
      if (this.normalization !== undefined) text = text.normalize(this.normalization);
      this.jsEncoder ??= new JsEncoder(
        (id) => this.rawBytes(id),
        this.ordinarySize,
        preSplitter(this.pattern),
      );
      return this.jsEncoder.encode(text);
    }
    return Array.from(this.encodeToArray(text, options));
  }

  /** Like encode, as a Uint32Array. */
  encodeToArray(text: string, options: EncodeOptions = {}): Uint32Array {
    if (this.jsDigits > 0 && noSpecials(options)) return Uint32Array.from(this.encode(text, options));
    if (this.normalization !== undefined) text = text.normalize(this.normalization);
    const allowed = options.allowedSpecial;
    if (noSpecials(options)) return this.tiktoken.encode_ordinary(text);
    const list =
      allowed === "all"
        ? [...this.specialTokens.keys()]
        : [...(allowed ?? [])].filter((t) => this.specialTokens.has(t));
    return this.tiktoken.encode(text, list, []);
  }

  /** Encodes many texts, in order, on this thread (see encodeBatch for worker threads). */
  encodeMany(texts: readonly string[], options: EncodeOptions = {}): number[][] {
    return texts.map((text) => this.encode(text, options));
  }

  /** Concatenated bytes of `ids`. Throws an LlmError for an id outside the vocabulary. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    let length = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      this.check(id);
      length += (this.offsets[id + 1] as number) - (this.offsets[id] as number);
    }
    const out = new Uint8Array(length);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const start = this.offsets[id] as number;
      const end = this.offsets[id + 1] as number;
      out.set(this.data.subarray(start, end), at);
      at += end - start;
    }
    return out;
  }

  decode(ids: readonly number[] | ArrayLike<number>): string {
    return utf8Decoder.decode(this.decodeBytes(ids));
  }

  tokenBytes(id: number): Uint8Array {
    this.check(id);
    return this.rawBytes(id).slice();
  }

  /** Byte length of one id (0 for gaps). */
  tokenLength(id: number): number {
    this.check(id);
    return (this.offsets[id + 1] as number) - (this.offsets[id] as number);
  }

  /** True for the ids of special tokens. */
  isSpecial(id: number): boolean {
    return this.specialById.has(id);
  }

  specialId(token: SpecialToken | string): number {
    const id = this.specialTokens.get(token);
    if (id === undefined) {
      throw new LlmError("TOKENIZER_ERROR", `Tokenizer ${this.name} has no special token ${token}.`, {
        input: token,
        hint: `Its special tokens are: ${[...this.specialTokens.keys()].join(", ") || "(none)"}.`,
      });
    }
    return id;
  }

  /** The text of each token for display; partial UTF-8 sequences show as U+FFFD. */
  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => utf8Decoder.decode(this.rawBytes(this.check(id))));
  }

  private rawBytes(id: number): Uint8Array {
    return this.data.subarray(this.offsets[id] as number, this.offsets[id + 1] as number);
  }

  private check(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize || this.valid[id] === 0) {
      throw new LlmError("INVALID_INPUT", `Token id ${id} is not in the vocabulary of ${this.name}.`, {
        input: String(id),
        hint: `Ids run from 0 to ${this.vocabSize - 1}; was the text encoded with another tokenizer?`,
      });
    }
    return id;
  }
}
