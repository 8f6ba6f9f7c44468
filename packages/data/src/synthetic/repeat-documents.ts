/**
 * repeatDocuments: spans of `minWords`-`maxWords` words of random natural documents, each written
 * twice in one document ("span\nspan"), metadata.source "repeat". Mixed into pretraining text they
 * reward copying tokens from earlier in the context (the second copy is predictable only by
 * copying), so the base model grows the circuit for it (induction heads: attend to the token after
 * an earlier occurrence of the current one, and copy it). Deterministic for a seed.
 * Reference: the repeated random sequences of Olsson et al. 2022, "In-context Learning and
 * Induction Heads". Leaves out: repeats across documents (each span repeats inside its own).
 */
import { type Document, Rng } from "@llm/core";

export function repeatDocuments(
  natural: readonly Document[],
  count: number,
  seed: number,
  minWords = 8,
  maxWords = 40,
): Document[] {
  const rng = new Rng(`repeat-documents:${seed}`);
  const pool = natural.filter((doc) => doc.text.split(/\s+/).length >= minWords);
  const out: Document[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const words = rng.pick(pool).text.split(/\s+/).filter(Boolean);
    const length = Math.min(words.length, rng.range(minWords, maxWords));
    const start = rng.int(words.length - length + 1);
    const span = words.slice(start, start + length).join(" ");
    out.push({ id: `repeat-${i}`, text: `${span}\n${span}`, metadata: { source: "repeat" } });
  }
  return out;
}
