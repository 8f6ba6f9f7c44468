/**
 * word-count-reach: how likely a model is to write the right word-counting steps under the
 * word-step guard when it samples as RL's rollouts do, i.e. whether RL can find the right answer
 * to reward. For each steps-first answer of a natural-eval.ts results file (`--out FILE`), the
 * right reply (" w1 1 w2 2 ... wn n\n#### n", the text's words as written, with and without the
 * leading space) is teacher-forced
 * through the checkpoint; at every token the guard ("run") masks the logits as in decoding, and the
 * log-prob of the right token under softmax(masked logits / T) is summed: the chance that one
 * guarded rollout at temperature T writes exactly that reply. Prints the distribution of that
 * chance for the answers the greedy model got right and for the misses, and the share of misses a
 * group of G rollouts would find at least once (1 - (1 - p)^G).
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/word-count-reach.ts RUN RESULTS.json [--stage rl] [--temperature 0.7] [--group 8]
 * Leaves out: other right replies (other tokenisations, a different case), tool calls.
 */
import { readFile } from "node:fs/promises";
import { type ProbeResult, parseCliOptions, runPaths } from "@llm/core";
import { WordStepGuard } from "@llm/engine";
import { InferenceSession, initBackend, loadCheckpoint } from "@llm/model";
import { NATURAL_WORD_COUNT_ROWS } from "@llm/probes";
import { renderPrompt } from "@llm/sft";
import { BpeTokenizer } from "@llm/tokenizer";

const { values, positionals } = parseCliOptions(process.argv.slice(2), {
  stage: { type: "string", default: "rl" },
  temperature: { type: "string", default: "0.7" },
  group: { type: "string", default: "8" },
});
const [run, file] = positionals;
if (run === undefined || file === undefined) {
  console.log("Usage: word-count-reach.ts RUN RESULTS.json [--stage rl|sft] [--temperature 0.7] [--group 8]");
  process.exit(1);
}
const temperature = Number(values.temperature);
const group = Number(values.group);
await initBackend("wasm");
const tokenizer = await BpeTokenizer.load(runPaths(run).tokenizerJson);
const stage = values.stage === "sft" ? "sft" : "rl";
const { model } = await loadCheckpoint(runPaths(run).checkpoint(stage), {
  vocabSize: tokenizer.vocabSize,
});
const guard = new WordStepGuard(tokenizer);
const results = JSON.parse(await readFile(file, "utf8")) as ProbeResult[];
const order = results.find((r) => r.name === "reasoning-order");
if (order === undefined) throw new Error(`${file} has no reasoning-order result.`);
const textOf = new Map(NATURAL_WORD_COUNT_ROWS.map(([prompt, text]) => [prompt, text]));

/** log P(reply | prompt) under the guarded, tempered distribution, teacher-forced. */
function guardedLogProb(prompt: string, reply: string): number {
  const promptIds = renderPrompt([{ role: "user", content: prompt }], tokenizer);
  const replyIds = tokenizer.encode(reply);
  const session = new InferenceSession(model);
  let logits = session.feed(promptIds); // [V] of the last prompt position
  let total = 0;
  try {
    replyIds.forEach((id, j) => {
      const sofar = tokenizer.decode(replyIds.slice(0, j));
      const masked = guard.apply(logits, sofar, prompt, "run");
      let max = Number.NEGATIVE_INFINITY;
      for (const x of masked) max = Math.max(max, x / temperature);
      let sum = 0;
      for (const x of masked) sum += Math.exp(x / temperature - max);
      total += (masked[id] as number) / temperature - max - Math.log(sum);
      if (j < replyIds.length - 1) logits = session.feed([id]);
    });
  } finally {
    session.dispose();
  }
  return total;
}

const reach: Record<"right" | "miss", number[]> = { right: [], miss: [] };
for (const e of order.examples) {
  if (e.model !== "steps-first") continue;
  const text = textOf.get(e.prompt);
  if (text === undefined) continue;
  const words = text.split(" ");
  const steps = `${words.map((w, i) => `${w} ${i + 1}`).join(" ")}\n#### ${words.length}`;
  // with and without the leading space (the model writes both): two different replies, so their chances add
  const p = Math.exp(guardedLogProb(e.prompt, ` ${steps}`)) + Math.exp(guardedLogProb(e.prompt, steps));
  reach[e.correct === true ? "right" : "miss"].push(Math.min(1, p));
}
model.dispose();
const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => (s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0).toExponential(1);
  return `n ${s.length}, p10 ${q(0.1)}, median ${q(0.5)}, p90 ${q(0.9)}`;
};
for (const kind of ["right", "miss"] as const) {
  const xs = reach[kind];
  const found = xs.reduce((a, p) => a + (1 - (1 - p) ** group), 0) / Math.max(1, xs.length);
  const atLeast = (p: number) => xs.filter((x) => x >= p).length;
  console.log(
    `${kind}: P(right reply | guard, T ${temperature}) ${quantiles(xs)}; >= 0.1: ${atLeast(0.1)}, >= 0.01: ${atLeast(0.01)}; a group of ${group} finds it ${(100 * found).toFixed(0)}% of the time`,
  );
}
