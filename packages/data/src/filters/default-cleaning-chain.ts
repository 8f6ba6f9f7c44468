/**
 * FineWeb's cleaning chain as an ordered list of filters, each configurable or switchable off
 * with `false`: URL -> HTML extraction -> language -> Gopher repetition -> Gopher quality ->
 * C4 -> FineWeb quality -> harmful content -> exact dedup -> MinHash dedup -> PII.
 * The options object is plain JSON, so worker threads and ranks can rebuild the same chain.
 * Reference: FineWeb (Penedo et al. 2024), datatrove's process_common_crawl_dump example.
 * Leaves out: the stateful dedup filters in sharded runs (use the MinHash stages instead).
 */
import type { DocumentFilter } from "@llm/core";
import { ExactDedupFilter } from "../dedup/exact-dedup-filter.js";
import { MinHashDedupFilter, type MinHashOptions } from "../dedup/minhash.js";
import { C4Filter, type C4Options } from "./c4-filter.js";
import { FineWebQualityFilter, type FineWebQualityOptions } from "./fineweb-quality-filter.js";
import { GopherQualityFilter, type GopherQualityOptions } from "./gopher-quality-filter.js";
import { GopherRepetitionFilter, type GopherRepetitionOptions } from "./gopher-repetition-filter.js";
import { HarmfulContentFilter, type HarmfulContentOptions } from "./harmful-content-filter.js";
import { HtmlExtractFilter, type HtmlExtractOptions } from "./html-extract-filter.js";
import { LanguageFilter, type LanguageFilterOptions } from "./language-filter.js";
import { PiiFilter, type PiiOptions } from "./pii-filter.js";
import { UrlFilter, type UrlFilterOptions } from "./url-filter.js";

/** Each step: its options, or false to leave it out. All on by default. */
export interface CleaningChainOptions {
  url?: UrlFilterOptions | false;
  html?: HtmlExtractOptions | false;
  language?: LanguageFilterOptions | false;
  gopherRepetition?: GopherRepetitionOptions | false;
  gopherQuality?: GopherQualityOptions | false;
  c4?: C4Options | false;
  finewebQuality?: FineWebQualityOptions | false;
  harmful?: HarmfulContentOptions | false;
  exactDedup?: boolean;
  minhash?: MinHashOptions | false;
  pii?: PiiOptions | false;
}

export function defaultCleaningChain(options: CleaningChainOptions = {}): DocumentFilter[] {
  const chain: DocumentFilter[] = [];
  if (options.url !== false) chain.push(new UrlFilter(options.url ?? {}));
  if (options.html !== false) chain.push(new HtmlExtractFilter(options.html ?? {}));
  if (options.language !== false) chain.push(new LanguageFilter(options.language ?? {}));
  if (options.gopherRepetition !== false)
    chain.push(new GopherRepetitionFilter(options.gopherRepetition ?? {}));
  if (options.gopherQuality !== false) chain.push(new GopherQualityFilter(options.gopherQuality ?? {}));
  if (options.c4 !== false) chain.push(new C4Filter(options.c4 ?? {}));
  if (options.finewebQuality !== false) chain.push(new FineWebQualityFilter(options.finewebQuality ?? {}));
  if (options.harmful !== false) chain.push(new HarmfulContentFilter(options.harmful ?? {}));
  if (options.exactDedup !== false) chain.push(new ExactDedupFilter());
  if (options.minhash !== false) chain.push(new MinHashDedupFilter(options.minhash ?? {}));
  if (options.pii !== false) chain.push(new PiiFilter(options.pii ?? {}));
  return chain;
}
