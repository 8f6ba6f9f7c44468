/**
 * word-count-misses: classifies the natural word-counting answers of a natural-eval.ts results file
 * (`--out FILE`, reasoning-order's steps-first transcripts) by whether the text repeats a word and
 * by how the steps went wrong: "format" (no steps: answer first or none), "start" (the steps start
 * elsewhere than the text's first word: a context sentence's words, a later word), "stop" (a true
 * prefix of the text), "overrun" (the text and then more), "not a copy" (a step word that is no word
 * of the prompt: " egggg", "autummer"), "jump" (a word of the text in the wrong place: after a
 * repeated word, the other occurrence's successor), "other word" (a word of the prompt outside the
 * text), "count" (the words right, a number or the answer wrong).
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/word-count-misses.ts FILE [--list]
 * Leaves out: the answer-first twin's transcripts.
 */
import { readFile } from "node:fs/promises";
import type { ProbeResult } from "@llm/core";
import { parseCliOptions } from "@llm/core";
import { NATURAL_WORD_COUNT_ROWS } from "@llm/probes";

const { values, positionals } = parseCliOptions(process.argv.slice(2), {
  list: { type: "boolean", default: false },
});
const file = positionals[0];
if (file === undefined) {
  console.log("Usage: word-count-misses.ts RESULTS.json [--list]");
  process.exit(1);
}
const results = JSON.parse(await readFile(file, "utf8")) as ProbeResult[];
const order = results.find((r) => r.name === "reasoning-order");
if (order === undefined) throw new Error(`${file} has no reasoning-order result.`);
const textOf = new Map(NATURAL_WORD_COUNT_ROWS.map(([prompt, text]) => [prompt, text]));
const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];

/** The failure kind of one steps-first answer, or "right". */
function classify(prompt: string, output: string, correct: boolean): string {
  if (correct) return "right";
  const text = (textOf.get(prompt) ?? "").toLowerCase().split(" ");
  const steps = output.split(/\n|#/)[0] ?? "";
  if (output.trimStart().startsWith("#") || !/\d/.test(steps)) return "format";
  const stepWords = steps.split(/\s+/).filter((w) => w !== "" && !/^\d+$/.test(w));
  const prompted = new Set(words(prompt));
  const inText = new Set(text);
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((w, i) => w === b[i]);
  if (
    same(
      stepWords.map((w) => w.toLowerCase()),
      text,
    )
  )
    return "count";
  const lower = stepWords.map((w) => w.toLowerCase());
  if (lower[0] !== text[0])
    return prompted.has(lower[0] ?? "") || inText.has(lower[0] ?? "") ? "start" : "not a copy";
  let i = 0;
  while (i < lower.length && i < text.length && lower[i] === text[i]) i++;
  if (i === lower.length) return "stop";
  if (i === text.length) return "overrun";
  const w = lower[i] ?? "";
  if (!prompted.has(w)) return "not a copy";
  return inText.has(w) ? "jump" : "other word";
}

const rows: Array<{ repeat: boolean; kind: string; prompt: string; output: string }> = [];
for (const e of order.examples) {
  if (e.model !== "steps-first") continue;
  const text = (textOf.get(e.prompt) ?? "").toLowerCase().split(" ");
  const repeat = new Set(text).size < text.length;
  rows.push({
    repeat,
    kind: classify(e.prompt, e.output, e.correct === true),
    prompt: e.prompt,
    output: e.output,
  });
}
const kinds = [...new Set(rows.map((r) => r.kind))].sort();
console.log(`${"kind".padEnd(12)} ${"repeat".padStart(7)} ${"no rep.".padStart(7)}`);
for (const kind of kinds) {
  const n = (repeat: boolean) => rows.filter((r) => r.kind === kind && r.repeat === repeat).length;
  console.log(`${kind.padEnd(12)} ${String(n(true)).padStart(7)} ${String(n(false)).padStart(7)}`);
}
const total = (repeat: boolean) => rows.filter((r) => r.repeat === repeat).length;
console.log(`${"all".padEnd(12)} ${String(total(true)).padStart(7)} ${String(total(false)).padStart(7)}`);
if (values.list)
  for (const r of rows)
    if (r.kind !== "right")
      console.log(
        `${r.kind} ${r.repeat ? "R" : "-"} ${r.prompt} -> ${r.output.slice(0, 140).replaceAll("\n", "\\n")}`,
      );
