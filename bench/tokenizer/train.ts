/**
 * Benchmark: BPE training time of @llm/tokenizer (trainBpe, one thread) against Hugging Face
 * tokenizers (npm `tokenizers` 0.23, Rust, multi-threaded) on the same corpus, the same
 * pre-split pattern (our DEFAULT_PATTERN, given to HF as a Split regex followed by ByteLevel)
 * and the same vocabulary size, in the same run. Prints both times and the ratio.
 *
 *   npx tsx --conditions=@llm/source bench/tokenizer/train.ts [--mb 50] [--vocab 30000] [--pattern default|gpt2]
 *
 * --pattern gpt2 uses GPT-2's pattern instead: HF's own ByteLevel pre-tokenizer with its regex,
 * and GPT2_PATTERN for ours (which then runs through the JS RegExp, not the GPT-4 scanner).
 *
 * HF's Node binding trains with its default BpeTrainer, whose vocabulary size is fixed at
 * 30,000 (the binding exposes no trainer options), so compare at 30,000. Note: the binding's
 * splitPreTokenizer(pattern) takes the pattern as a literal string, not a regex, so the HF
 * tokenizer is built from JSON with {"Regex": pattern}.
 */
import { parseCliOptions } from "@llm/core";
import { DEFAULT_PATTERN, GPT2_PATTERN, trainBpe } from "@llm/tokenizer";
import { Tokenizer } from "tokenizers";
import { buildCorpus } from "./corpus.js";

const { values } = parseCliOptions(
  process.argv.slice(2),
  {
    mb: { type: "string", default: "50" },
    vocab: { type: "string", default: "30000" },
    pattern: { type: "string", default: "default" },
  },
  { allowPositionals: false },
);
const megabytes = Number(values.mb);
const vocabSize = Number(values.vocab);
const gpt2 = values.pattern === "gpt2";
const pattern = gpt2 ? GPT2_PATTERN : DEFAULT_PATTERN;

const corpus = buildCorpus(megabytes);
console.log(`pattern: ${gpt2 ? "GPT-2" : "DEFAULT_PATTERN (GPT-4 with 1-2 digit numbers)"}`);
console.log(
  `corpus: ${corpus.documents.length} documents, ${(corpus.chars / 1e6).toFixed(1)} M chars (${corpus.file})`,
);

// Ours.
let start = performance.now();
let countedAt = 0;
const ours = await trainBpe(
  corpus.documents,
  { vocabSize, pattern },
  { onLog: () => (countedAt ||= performance.now()) },
);
const end = performance.now();
const oursSeconds = (end - start) / 1000;
console.log(
  `@llm/tokenizer trainBpe: ${oursSeconds.toFixed(2)} s (pre-split + count ${((countedAt - start) / 1000).toFixed(2)} s, merges ${((end - countedAt) / 1000).toFixed(2)} s), vocab ${ours.vocabSize}`,
);

// Hugging Face tokenizers, same pattern.
const hf = Tokenizer.fromString(
  JSON.stringify({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: gpt2
        ? [{ type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true }]
        : [
            { type: "Split", pattern: { Regex: DEFAULT_PATTERN }, behavior: "Isolated", invert: false },
            { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
          ],
    },
    post_processor: null,
    decoder: null,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: {},
      merges: [],
    },
  }),
);
start = performance.now();
hf.train([corpus.file]);
const hfSeconds = (performance.now() - start) / 1000;
console.log(`HF tokenizers train:     ${hfSeconds.toFixed(2)} s, vocab ${hf.getVocabSize()}`);

console.log(
  `ratio (HF time / our time): ${(hfSeconds / oursSeconds).toFixed(2)}x  (> 1 means ours is faster)`,
);
