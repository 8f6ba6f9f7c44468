import { describe, expect, it } from "vitest";
import { C4Filter } from "./c4-filter.js";
import { doc, fillerWords, outcome } from "./filter-test-helpers.js";
import { FineWebQualityFilter } from "./fineweb-quality-filter.js";
import { GopherQualityFilter } from "./gopher-quality-filter.js";
import { GopherRepetitionFilter } from "./gopher-repetition-filter.js";

const sentence = (i: number) => `${fillerWords(8, `s${i}`).join(" ")}.`;

describe("GopherRepetitionFilter thresholds (FineWeb defaults)", () => {
  const lines = (distinct: number, dups: number) => {
    const base = Array.from({ length: distinct }, (_, i) => sentence(i));
    return [...base, ...base.slice(0, dups)].join("\n");
  };
  it("duplicate line fraction: 0.3 keeps, 0.4 drops", async () => {
    const f = new GopherRepetitionFilter({ dupLineCharFraction: 1, dupNgrams: [], topNgrams: [] });
    expect(await outcome(f, lines(7, 3))).toBe("keep");
    expect(await outcome(f, lines(6, 4))).toBe("dup_line_frac");
  });
  it("duplicate line characters: 0.2 keeps, above drops", async () => {
    const f = new GopherRepetitionFilter({ dupLineFraction: 1, dupNgrams: [], topNgrams: [] });
    // 8 distinct lines + 2 repeats of equal length: 2 of 10 lines, just under 0.2 of chars (newlines count).
    expect(await outcome(f, lines(8, 2))).toBe("keep");
    expect(await outcome(f, lines(8, 3))).toBe("dup_line_char_frac");
  });
  it("duplicate paragraphs: fraction and characters", async () => {
    const paras = (distinct: number, dups: number) => {
      const base = Array.from({ length: distinct }, (_, i) => sentence(i));
      return [...base, ...base.slice(0, dups)].join("\n\n");
    };
    const f = new GopherRepetitionFilter({
      dupParagraphCharFraction: 1,
      dupLineCharFraction: 1,
      dupLineFraction: 1,
      dupNgrams: [],
      topNgrams: [],
    });
    expect(await outcome(f, paras(7, 3))).toBe("keep");
    expect(await outcome(f, paras(6, 4))).toBe("dup_para_frac");
    const g = new GopherRepetitionFilter({
      dupParagraphFraction: 1,
      dupLineCharFraction: 1,
      dupLineFraction: 1,
      dupNgrams: [],
      topNgrams: [],
    });
    expect(await outcome(g, paras(8, 2))).toBe("keep");
    expect(await outcome(g, paras(8, 3))).toBe("dup_para_char_frac");
  });
  it("top 2-gram character fraction around 0.2", async () => {
    const f = new GopherRepetitionFilter({ dupNgrams: [], topNgrams: [[2, 0.2]] });
    const words = fillerWords(200);
    // "ab cd" (4 chars) repeated k times among 5-letter filler words.
    const text = (k: number) => [...Array.from({ length: k }, () => "ab cd"), ...words].join(" ");
    // fraction = 4k / (4k + 1000): k = 62 -> 0.1987, k = 63 -> 0.2013
    expect(await outcome(f, text(62))).toBe("keep");
    expect(await outcome(f, text(63))).toBe("top_2_gram");
  });
  it("duplicated 5-gram character fraction around 0.15", async () => {
    const f = new GopherRepetitionFilter({ topNgrams: [], dupNgrams: [[5, 0.15]] });
    const base = fillerWords(400);
    const repeated = fillerWords(5, "r");
    // each repeat of a 5-gram of 5-letter words adds 25 duplicated chars; total grows with it.
    const text = (k: number) =>
      [...repeated, ...Array.from({ length: k }, () => repeated.join(" ")), ...base].join(" ");
    // dup chars 25k / (25(k+1) + 2000): k = 14 -> 0.1429 keeps; k = 16 -> 0.16 drops
    expect(await outcome(f, text(14))).toBe("keep");
    expect(await outcome(f, text(16))).toBe("duplicated_5_n_grams");
  });
});

describe("GopherQualityFilter thresholds", () => {
  const prose = (n: number) => ["the", "and", ...fillerWords(n - 2)].join(" ");
  const f = new GopherQualityFilter();
  it("word count 50", async () => {
    expect(await outcome(f, prose(50))).toBe("keep");
    expect(await outcome(f, prose(49))).toBe("short_doc");
    expect(await outcome(new GopherQualityFilter({ maxWords: 60 }), prose(61))).toBe("long_doc");
  });
  it("mean word length 3..10", async () => {
    const threes = (extra: string) =>
      ["the", "and", ...Array.from({ length: 50 }, () => "cat"), extra].join(" ");
    expect(await outcome(f, threes("dog"))).toBe("keep");
    expect(await outcome(f, threes("a"))).toBe("below_avg_word_length");
    const tens = (extra: string) =>
      ["the", "and", ...Array.from({ length: 60 }, () => "abcdefghijklm"), extra].join(" ");
    expect(await outcome(new GopherQualityFilter({ maxMeanWordLength: 12.5 }), tens("x"))).toBe("keep");
    expect(await outcome(f, tens("x"))).toBe("above_avg_word_length");
  });
  it("hash and ellipsis ratios 0.1", async () => {
    const words = prose(100).split(" ");
    const withHashes = (k: number) => words.map((w, i) => (i >= 2 && i < 2 + k ? `#${w}` : w)).join(" ");
    expect(await outcome(f, withHashes(10))).toBe("keep");
    expect(await outcome(f, withHashes(11))).toBe("too_many_hashes");
    const withDots = (k: number) => words.map((w, i) => (i >= 2 && i < 2 + k ? `${w}...` : w)).join(" ");
    expect(await outcome(f, withDots(10))).toBe("keep");
    expect(await outcome(f, withDots(11))).toBe("too_many_ellipsis");
  });
  it("bullet lines 0.9 and ellipsis lines 0.3", async () => {
    const lineWords = prose(100).split(" ");
    const lines = Array.from({ length: 10 }, (_, i) => lineWords.slice(i * 10, i * 10 + 10).join(" "));
    const bullets = (k: number) => lines.map((l, i) => (i < k ? `• ${l}` : l)).join("\n");
    expect(await outcome(f, bullets(9))).toBe("keep");
    expect(await outcome(f, bullets(10))).toBe("too_many_bullets");
    const trailing = (k: number) => lines.map((l, i) => (i < k ? `${l}…` : l)).join("\n");
    expect(await outcome(f, trailing(3))).toBe("keep");
    expect(await outcome(f, trailing(4))).toBe("too_many_end_ellipsis");
  });
  it("alphabetic words 0.8 and stop words 2", async () => {
    const words = prose(100).split(" ");
    const numeric = (k: number) => words.map((w, i) => (i >= 2 && i < 2 + k ? "12345" : w)).join(" ");
    expect(await outcome(f, numeric(20))).toBe("keep");
    expect(await outcome(f, numeric(21))).toBe("below_alpha_threshold");
    expect(await outcome(f, ["the", ...fillerWords(60)].join(" "))).toBe("not_enough_stop_words");
  });
});

describe("C4Filter", () => {
  const f = new C4Filter();
  const good = (n: number) =>
    Array.from({ length: n }, (_, i) => `This is sentence number ${i} of the text.`);
  it("needs 5 sentences", async () => {
    expect(await outcome(f, good(5).join("\n"))).toBe("keep");
    expect(await outcome(f, good(4).join("\n"))).toBe("too_few_sentences");
  });
  it("drops lorem ipsum and curly brackets", async () => {
    expect(await outcome(f, [...good(5), "Lorem ipsum dolor sit amet."].join("\n"))).toBe("lorem_ipsum");
    expect(await outcome(f, [...good(5), "function x() { return 1; }"].join("\n"))).toBe("curly_bracket");
  });
  it("removes bad lines and citation markers", async () => {
    const text = [
      ...good(5),
      "Please enable JavaScript to view this page.",
      "Two words",
      "Read our privacy policy for details today.",
      `A line with ${"x".repeat(1001)} in it.`,
      "Whales are mammals.[1] They breathe air.[citation needed]",
    ].join("\n");
    const decision = await f.apply(doc(text));
    expect(decision.keep).toBe(true);
    if (!decision.keep) return;
    expect(decision.document.text).toBe([...good(5), "Whales are mammals. They breathe air."].join("\n"));
    expect(await outcome(f, "Two words\nAlso short")).toBe("no_lines_left");
  });
});

describe("FineWebQualityFilter thresholds", () => {
  const long = (i: number, end: string) => `line ${i} holds words enough to be a long line here${end}`;
  it("line punctuation ratio 0.12", async () => {
    const f = new FineWebQualityFilter();
    const text = (k: number) => Array.from({ length: 100 }, (_, i) => long(i, i < k ? "." : "")).join("\n");
    expect(await outcome(f, text(12))).toBe("keep");
    expect(await outcome(f, text(11))).toBe("line_punct_ratio");
  });
  it("short line ratio 0.67", async () => {
    const f = new FineWebQualityFilter({ maxNewlinesPerWord: 10 });
    const text = (k: number) =>
      Array.from({ length: 100 }, (_, i) => (i < k ? `short ${i} line.` : long(i, "."))).join("\n");
    expect(await outcome(f, text(67))).toBe("keep");
    expect(await outcome(f, text(68))).toBe("short_line_ratio");
  });
  it("duplicated line characters 0.01", async () => {
    const f = new FineWebQualityFilter();
    const base = Array.from({ length: 99 }, (_, i) => long(i, "."));
    const total = base.join("").length;
    // a duplicated line of L chars gives L / (total + L): just under and just over 0.01
    const under = "x".repeat(Math.floor(total / 99) - 1);
    const over = "y".repeat(Math.floor(total / 99) + 2);
    expect(await outcome(f, [...base, `${under}.`, `${under}.`].join("\n"))).toBe("keep");
    expect(await outcome(f, [...base, `${over}.`, `${over}.`].join("\n"))).toBe("char_dup_ratio");
  });
  it("newlines per word 0.3", async () => {
    const f = new FineWebQualityFilter({ maxShortLines: 1 });
    const text = (wordsPerLine: number) =>
      Array.from({ length: 30 }, (_, i) => `${fillerWords(wordsPerLine, `l${i}`).join(" ")}.`).join("\n");
    // 29 newlines over 30 * 4 = 120 words = 0.24 keeps; over 30 * 3 = 90 words = 0.32 drops
    expect(await outcome(f, text(4))).toBe("keep");
    expect(await outcome(f, text(3))).toBe("list_ratio");
  });
});
