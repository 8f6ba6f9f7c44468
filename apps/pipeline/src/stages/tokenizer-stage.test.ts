import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainBpe } from "@llm/tokenizer";
import { afterAll, describe, expect, it } from "vitest";
import { writeDocumentsJsonl } from "../documents-jsonl.js";
import { tokenizerSample } from "./tokenizer-stage.js";

const dir = await mkdtemp(join(tmpdir(), "tokenizer-stage-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const natural = "Call me Ishmael. Some years ago, never mind how long precisely, I went to sea.";
const docs = [
  { id: "n", text: natural, metadata: { source: "moby-dick" } },
  ...Array.from({ length: 50 }, (_, i) => ({
    id: `k${i}`,
    text: "Quikanar is a baker from Narvenlo.",
    metadata: { source: "knowledge", entity: "Quikanar" },
  })),
  { id: "t", text: 'Q: How many "r" are in "sea"?', metadata: { source: "task" } },
];

describe("tokenizerSample", () => {
  it("leaves the fact documents out of the BPE sample, and nothing else", async () => {
    const path = join(dir, "train.jsonl");
    await writeDocumentsJsonl(path, docs);
    const texts: string[] = [];
    for await (const text of tokenizerSample(path)) texts.push(text);
    expect(texts).toEqual([natural, 'Q: How many "r" are in "sea"?']);
    // with them, a name written fifty times becomes one token; without, it stays in pieces
    const withFacts = await trainBpe(
      docs.map((d) => d.text),
      { vocabSize: 400 },
    );
    const without = await trainBpe(tokenizerSample(path), { vocabSize: 400 });
    expect(withFacts.encode("Quikanar")).toHaveLength(1);
    expect(without.encode("Quikanar").length).toBeGreaterThan(1);
  });
});
