/**
 * Weighted mixing of document sources, deterministic by seed: each next document comes from a
 * source drawn with probability proportional to its weight; an exhausted source leaves the
 * draw (the rest are renormalised) or, with `stopWhen: "first-exhausted"`, ends the mixture.
 * Every document is tagged with metadata.mix_source. Reference: datatrove/nanochat data
 * mixtures (sampling by weight). Leaves out: epoch-based upsampling (repeat a source by
 * listing it again, or give it a larger weight with "all-exhausted" off).
 */
import { type Document, LlmError, Rng } from "@llm/core";

export interface MixtureComponent {
  /** Name written to metadata.mix_source. */
  name: string;
  documents: AsyncIterable<Document> | Iterable<Document>;
  /** Relative weight (> 0). */
  weight: number;
}

export interface MixOptions {
  /** Seed of the draws. Default 0. */
  seed?: number | string;
  /** Stop after this many documents. Default: when the sources run out. */
  maxDocuments?: number;
  /** "all-exhausted" (default) keeps drawing from what is left; "first-exhausted" stops. */
  stopWhen?: "all-exhausted" | "first-exhausted";
}

export async function* mixSources(
  components: readonly MixtureComponent[],
  options: MixOptions = {},
): AsyncGenerator<Document> {
  for (const c of components) {
    if (!(c.weight > 0)) {
      throw new LlmError("INVALID_ARGUMENT", `Mixture weight of "${c.name}" must be > 0, got ${c.weight}`, {
        input: c.name,
      });
    }
  }
  const rng = new Rng(options.seed ?? 0);
  const live = components.map((c) => ({
    name: c.name,
    weight: c.weight,
    iterator:
      Symbol.asyncIterator in c.documents
        ? (c.documents as AsyncIterable<Document>)[Symbol.asyncIterator]()
        : (c.documents as Iterable<Document>)[Symbol.iterator](),
  }));
  const max = options.maxDocuments ?? Number.POSITIVE_INFINITY;
  let produced = 0;
  try {
    while (live.length > 0 && produced < max) {
      const i = rng.weighted(live.map((c) => c.weight));
      const component = live[i] as (typeof live)[number];
      const step = await component.iterator.next();
      if (step.done) {
        if (options.stopWhen === "first-exhausted") return;
        live.splice(i, 1);
        continue;
      }
      produced++;
      yield { ...step.value, metadata: { ...step.value.metadata, mix_source: component.name } };
    }
  } finally {
    for (const c of live) await c.iterator.return?.();
  }
}
