/**
 * @llm/tokenizer: train, save, load and run byte-level BPE tokenizers (tiktoken engine), and
 * compare how models tokenize text.
 */
export type { BpeTokenizerOptions } from "./bpe-tokenizer.js";
export { BpeTokenizer } from "./bpe-tokenizer.js";
export type { BytesPerTokenStat } from "./bytes-per-token.js";
export { bytesPerToken } from "./bytes-per-token.js";
export type { Comparison, TokenizerView } from "./compare-tokenizers.js";
export { compareTokenizers, viewOf } from "./compare-tokenizers.js";
export type { ComparisonTokenizerName } from "./comparison-tokenizers.js";
export { COMPARISON_TOKENIZERS, loadComparisonTokenizer } from "./comparison-tokenizers.js";
export type { ChunkCountOptions, ChunkCounts, TrainInput } from "./count-chunks.js";
export { countChunks } from "./count-chunks.js";
export type { EncodeBatchOptions } from "./encode-batch.js";
export { encodeBatch } from "./encode-batch.js";
export type { EncodingName } from "./get-encoding.js";
export { ENCODING_NAMES, getEncoding } from "./get-encoding.js";
export { byteLevelDecoder, loadHuggingFaceTokenizer, parseHuggingFaceTokenizer } from "./hf-tokenizer.js";
export { loadTokenizer } from "./load-tokenizer.js";
export {
  checkPattern,
  DEFAULT_PATTERN,
  GPT2_PATTERN,
  GPT4_PATTERN,
  SPLIT_DIGITS_PATTERN,
  toJsRegExp,
} from "./pattern.js";
export { readDocuments } from "./read-documents.js";
export type { LenmlTokenizerLike } from "./reference-tokenizer.js";
export { ReferenceTokenizer } from "./reference-tokenizer.js";
export type { HtmlRenderOptions } from "./render-html.js";
export { escapeHtml, renderHtml } from "./render-html.js";
export type { TerminalRenderOptions } from "./render-terminal.js";
export { renderTerminal } from "./render-terminal.js";
export { hasChinese, segmentChinese } from "./segment-chinese.js";
export type { TiktokenFileOptions } from "./tiktoken-file.js";
export { loadTiktokenFile, saveTiktokenFile } from "./tiktoken-file.js";
export { tokenByteLengths } from "./token-byte-lengths.js";
export type { TokenizerFileV1 } from "./tokenizer-file.js";
export { TOKENIZER_FORMAT, TOKENIZER_FORMAT_VERSION } from "./tokenizer-file.js";
export type { TrainBpeConfig } from "./train-bpe.js";
export { learnMerges, trainBpe, trainBpeFromCounts } from "./train-bpe.js";
