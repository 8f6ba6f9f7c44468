/**
 * seededProse: test text of sentences made of seeded sea words, so that every long enough span is
 * unique and the same seed gives the same text; the passage tests cut and repeat it. Not part of
 * the package's entry points. Reference: a linear congruential generator (glibc's constants).
 * Leaves out: punctuation other than full stops.
 */
const WORDS = "whale ship sea captain harpoon deck mast sail rope storm wave island crew oil bone".split(" ");

/** `sentences` sentences of 8-13 words each, from `seed`. */
export function seededProse(seed: number, sentences: number): string {
  let x = seed * 7919 + 1;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const words = Array.from({ length: 8 + (next() % 6) }, () => WORDS[next() % WORDS.length]);
    out.push(`${words.join(" ").replace(/^./, (c) => c.toUpperCase())}.`);
  }
  return out.join(" ");
}
