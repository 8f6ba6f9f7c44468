/**
 * @llm/data: a FineWeb-style data pipeline: sources, cleaning, dedup, PII scrubbing,
 * sharded runs, token shards and batches. See README.md.
 */

// Token shards and batches
export type { CopyRowsOptions, CountedCopyOptions, CountedCopyTokens } from "./batches/copy-rows-source.js";
export { CopyRowsSource, wordRuns } from "./batches/copy-rows-source.js";
export { countedCopyTokens } from "./batches/counted-copy-tokens.js";
export type { InMemoryBatchSourceOptions, InMemoryRow } from "./batches/in-memory-batch-source.js";
export { InMemoryBatchSource } from "./batches/in-memory-batch-source.js";
export type { RepeatedDocument, RepeatedDocumentsOptions } from "./batches/repeated-documents-source.js";
export { RepeatedDocumentsSource } from "./batches/repeated-documents-source.js";
export type { ShardBatchSourceOptions } from "./batches/shard-batch-source.js";
export { ShardBatchSource } from "./batches/shard-batch-source.js";
// CLI helpers
export type { RankSpec } from "./cli-args.js";
export { resolveRank } from "./cli-args.js";
// Dedup
export { ExactDedupFilter } from "./dedup/exact-dedup-filter.js";
export type { MinHashOptions, SignatureRecord } from "./dedup/minhash.js";
export {
  bucketPairs,
  clusterDuplicates,
  MinHashDedupFilter,
  MinHashRemovalFilter,
  minhashCatchProbability,
  minhashSignature,
} from "./dedup/minhash.js";
export { normalizeForDedup } from "./dedup/normalize.js";
// Filters
export type { C4Options } from "./filters/c4-filter.js";
export { C4Filter } from "./filters/c4-filter.js";
export type { CleaningChainOptions } from "./filters/default-cleaning-chain.js";
export { defaultCleaningChain } from "./filters/default-cleaning-chain.js";
export type { FineWebQualityOptions } from "./filters/fineweb-quality-filter.js";
export { FineWebQualityFilter } from "./filters/fineweb-quality-filter.js";
export type { GopherQualityOptions } from "./filters/gopher-quality-filter.js";
export { GopherQualityFilter } from "./filters/gopher-quality-filter.js";
export type { GopherRepetitionOptions } from "./filters/gopher-repetition-filter.js";
export { GopherRepetitionFilter } from "./filters/gopher-repetition-filter.js";
export type {
  HarmfulCategory,
  HarmfulContentOptions,
  HarmfulTerm,
} from "./filters/harmful-content-filter.js";
export {
  defaultHarmfulCategories,
  HarmfulContentFilter,
  obscenityTerms,
} from "./filters/harmful-content-filter.js";
export type { HtmlExtractOptions } from "./filters/html-extract-filter.js";
export { extractMainText, HtmlExtractFilter, isHtmlDocument } from "./filters/html-extract-filter.js";
export type { LanguageFilterOptions } from "./filters/language-filter.js";
export { codeShare, LanguageFilter } from "./filters/language-filter.js";
export type { PiiOptions } from "./filters/pii-filter.js";
export { isPublicIPv4, isPublicIPv6, luhnValid, PiiFilter } from "./filters/pii-filter.js";
export type { UrlFilterOptions } from "./filters/url-filter.js";
export { UrlFilter } from "./filters/url-filter.js";
// Running
export type { CleaningStats, FilterStats, SummaryRow } from "./run/cleaning-stats.js";
export { formatSummaryTable, mergeStats, summaryRows } from "./run/cleaning-stats.js";
export type { CleaningOptions, CleaningResult, ExclusionRecord } from "./run/run-cleaning.js";
export { CleaningRun, runCleaning } from "./run/run-cleaning.js";
export type { RunLocalOptions, RunLocalResult } from "./run/run-local.js";
export { runLocal } from "./run/run-local.js";
export type { RankResult, ShardedRunOptions } from "./run/sharded-run.js";
export {
  isRankDone,
  listInputFiles,
  markerPath,
  mergeRunStats,
  readRunOutput,
  runCleanShard,
  runClusterStep,
  runDedupShard,
  runSignatureShard,
} from "./run/sharded-run.js";
export type { ShardManifest } from "./shards/shard-manifest.js";
export { manifestPath, readShardManifest, resolveShardSet } from "./shards/shard-manifest.js";
export {
  bytesPerToken,
  decodeShardHeader,
  dtypeForVocab,
  encodeShardHeader,
  SHARD_HEADER_BYTES,
  SHARD_MAGIC,
  SHARD_VERSION,
} from "./shards/token-shard-format.js";
export { openShardReader, ShardFileReader } from "./shards/token-shard-reader.js";
export type { ShardWriterOptions } from "./shards/token-shard-writer.js";
export { openShardWriter, ShardFileWriter } from "./shards/token-shard-writer.js";
export type { TokenizeOptions, TokenizeResult } from "./shards/tokenize-documents.js";
export { tokenizeDocuments } from "./shards/tokenize-documents.js";
// Sources
export type { CutPassage, CutPassagesOptions, CutPassagesResult } from "./sources/cut-passages.js";
export { cutPassages } from "./sources/cut-passages.js";
export type { HubDatasetOptions } from "./sources/hub-dataset.js";
export { downloadHubDataset } from "./sources/hub-dataset.js";
export type { JsonlSourceOptions } from "./sources/jsonl-source.js";
export { readJsonlDocuments } from "./sources/jsonl-source.js";
export type { MixOptions, MixtureComponent } from "./sources/mix-sources.js";
export { mixSources } from "./sources/mix-sources.js";
export type { CorpusName, CorpusOptions } from "./sources/offline-corpora.js";
export { CORPUS_NAMES, parseEmail, readCorpus } from "./sources/offline-corpora.js";
export type { ParquetSourceOptions } from "./sources/parquet-source.js";
export { readParquet } from "./sources/parquet-source.js";
export type { ReadDocumentsOptions } from "./sources/read-documents.js";
export { DOCUMENT_EXTENSIONS, readDocuments } from "./sources/read-documents.js";
export type { SourceIssue, SourceOptions } from "./sources/source-options.js";
export type { TextFileSourceOptions } from "./sources/text-file-source.js";
export { listFiles, readTextFile, readTextFiles } from "./sources/text-file-source.js";
export { readWarc } from "./sources/warc-source.js";

// Synthetic documents mixed into pretraining (copying, memorization)
export type { MemorizationPassagesConfig, MemorizationSet } from "./synthetic/memorization-passages.js";
export { repeatedPassageDocuments, selectMemorizationPassages } from "./synthetic/memorization-passages.js";
export { repeatDocuments } from "./synthetic/repeat-documents.js";
