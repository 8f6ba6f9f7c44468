/**
 * Benchmark: BPE training time of @llm/tokenizer (trainBpe, one thread) against Hugging Face
 * tokenizers (npm `tokenizers`, Rust, multi-threaded) on the same corpus, same pre-split pattern
 * (our DEFAULT_PATTERN), same vocabulary size, in the same run. Prints both times and the ratio.
 *
 *   npx tsx --conditions=@llm/source bench/tokenizer/train.ts [--mb 50] [--vocab 30000]
 *
 * HF's Node binding trains with its default BpeTrainer, whose vocabulary size is fixed at
 * 30,000 (it cannot be set from Node), so compare at 30,000.
 */
import { parseArgs } from "node:util";
import { DEFAULT_PATTERN, trainBpe } from "@llm/tokenizer";
import { BPE, byteLevelPreTokenizer, sequencePreTokenizer, splitPreTokenizer, Tokenizer } from "tokenizers";
import { buildCorpus } from "./corpus.js";

const { values } = parseArgs({ options: { mb: { type: "string", default: "50" }, vocab: { type: "string", default: "30000" } } });
const megabytes = Number(values.mb);
const vocabSize = Number(values.vocab);

const corpus = buildCorpus(megabytes);
console.log(`corpus: ${corpus.documents.length} documents, ${(corpus.chars / 1e6).toFixed(1)} M chars (${corpus.file})`);

// Ours.
let start = performance.now();
let countedAt = 0;
const ours = await trainBpe(corpus.documents, { vocabSize }, { onLog: () => (countedAt ||= performance.now()) });
const oursSeconds = (performance.now() - start) / 1000;
console.log(
  `@llm/tokenizer trainBpe: ${oursSeconds.toFixed(2)} s (pre-split + count ${((countedAt - start) / 1000).toFixed(2)} s, merges ${((performance.now() - countedAt) / 1000 - 0).toFixed(2)} s), vocab ${ours.vocabSize}`,
);

// Hugging Face tokenizers.
const hf = new Tokenizer(BPE.empty());
hf.setPreTokenizer(sequencePreTokenizer([splitPreTokenizer(DEFAULT_PATTERN, "isolated"), byteLevelPreTokenizer(false, false)]));
start = performance.now();
hf.train([corpus.file]);
const hfSeconds = (performance.now() - start) / 1000;
console.log(`HF tokenizers train:     ${hfSeconds.toFixed(2)} s, vocab ${hf.getVocabSize()}`);

console.log(`ratio (HF time / our time): ${(hfSeconds / oursSeconds).toFixed(2)}x  (> 1 means we are faster)`);
