/**
 * Text normalisation before hashing for dedup: lower case, Unicode NFKC, punctuation removed,
 * digits collapsed to 0, whitespace collapsed. Reference: datatrove's simplify_text.
 * Leaves out: language-specific folding.
 */
export function normalizeForDedup(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\d/g, "0")
    .replace(/\s+/g, " ")
    .trim();
}

/** A 64-bit hash as 16 hex characters (two independent 32-bit FNV-1a style passes). */
export function hash64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
