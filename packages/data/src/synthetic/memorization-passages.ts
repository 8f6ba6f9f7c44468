/**
 * The passages of a memorization experiment: selectMemorizationPassages cuts them out of the
 * corpus (cutPassages), as groups of passages with the number of times pretraining is to see each,
 * and held-out passages of the same sources that it never sees; repeatedPassageDocuments turns the
 * groups into RepeatedDocumentsSource documents, so that each passage fills exactly that many
 * rows. The repeater probe of @llm/probes then measures verbatim continuation per group (the
 * pipeline writes the set to data/memorization.json for it).
 * Reference: Carlini et al. 2022, "Quantifying Memorization Across Neural Language Models".
 * Leaves out: passages from the synthetic sources (pass `sources`), and near-duplicates.
 */
import type { Document, Tokenizer } from "@llm/core";
import type { RepeatedDocument } from "../batches/repeated-documents-source.js";
import { cutPassages } from "../sources/cut-passages.js";

/** What to cut: one group of passages per entry of `repeats`, plus held-out passages. */
export interface MemorizationPassagesConfig {
  /** Times seen, one group of passages per entry, e.g. [1, 2, 4, 8, 16, 32]. */
  repeats: number[];
  /** Passages in each group. */
  passagesPerCount: number;
  /** Passages of the same sources that pretraining never sees. */
  heldOutPassages: number;
  /** Characters cut out of the corpus per passage (at least passageTokens tokens' worth). */
  passageChars: number;
  /** Tokens of each passage written into pretraining, e.g. a probe's prefix (32) + continuation (16). */
  passageTokens: number;
  /** metadata.source values the passages come from (prose: emails repeat boilerplate across documents). */
  sources: readonly string[];
}

/** The passages cut: seen `repeats` times per group, or held out. */
export interface MemorizationSet {
  /** Tokens of each passage that pretraining sees (the first ones of its encoding). */
  passageTokens: number;
  /** Passages seen `repeats` times each. */
  groups: Array<{ repeats: number; texts: string[] }>;
  /** Passages of the same sources never seen. */
  heldOut: string[];
}

/**
 * Cuts the passages out of the natural training documents: the first `heldOutPassages` drawn are
 * held out, the next ones fill the groups in the order of `repeats`. `documents` is the corpus
 * without them.
 */
export function selectMemorizationPassages(
  natural: readonly Document[],
  config: MemorizationPassagesConfig,
  seed: number,
): { set: MemorizationSet; documents: Document[] } {
  const per = config.passagesPerCount;
  const { passages, documents } = cutPassages(natural, {
    count: config.heldOutPassages + per * config.repeats.length,
    chars: config.passageChars,
    sources: config.sources,
    seed: `memorization:${seed}`,
  });
  const texts = passages.map((p) => p.text);
  const heldOut = texts.slice(0, config.heldOutPassages);
  const groups = config.repeats.map((repeats, g) => {
    const from = config.heldOutPassages + g * per;
    return { repeats, texts: texts.slice(from, from + per) };
  });
  return { set: { passageTokens: config.passageTokens, groups, heldOut }, documents };
}

/** The groups' passages as RepeatedDocumentsSource documents: the first passageTokens ids of each. */
export function repeatedPassageDocuments(set: MemorizationSet, tokenizer: Tokenizer): RepeatedDocument[] {
  return set.groups.flatMap((group) =>
    group.texts.map((text) => ({
      ids: tokenizer.encode(text).slice(0, set.passageTokens),
      repeats: group.repeats,
    })),
  );
}
