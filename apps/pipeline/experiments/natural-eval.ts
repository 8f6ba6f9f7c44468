/**
 * natural-eval: scores a run's chat model on @llm/probes' natural-phrasing eval sets (questions in
 * the learner's own words, written apart from the SFT generators; at least 100 per claim), with
 * the probes' own scoring, and prints one line per target of issue 26: letters with the tool,
 * decimals with the tool in each order and for "which is smaller", identity, refusal and false
 * refusal with the search tool (and whether the name was copied exactly into search()),
 * greetings answered as greetings, and word counting with steps first. By default it asks the RL
 * model, the run's last stage and the chat's default; word counting is asked of the same model
 * (steps first, as SFT taught it) next to the answer-first SFT twin.
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/natural-eval.ts RUN [--stage rl] [--limit N] [--probes a,b] [--template] [--copy-guard] [--step-guard word|run] [--number-guard-calls F,G] [--answer-guard] [--loop-guard] [--tool-grammar] [--tool-output-room N|off] [--out FILE] [--misses]
 * `--copy-guard` asks with @llm/engine's copy-constrained tool-call strings (probes.copyGuard;
 * `--copy-guard-calls count` only in those calls); `--step-guard word|run` with @llm/engine's
 * copy-constrained word-counting steps (probes.wordStepGuard); `--number-guard-calls
 * Math.max,Math.min` and `--answer-guard` with @llm/engine's number guards
 * (probes.numberGuardCalls, probes.answerGuard); `--loop-guard` with its repetition block in
 * tool calls and replies (probes.loopGuard; `--loop-guard-scope tool` in tool calls only); `--tool-grammar` with its
 * tool-call grammar (a well-formed call of a sandbox tool, probes.toolGrammar; `--tool-grammar-calls
 * count,search` with those names only, `--no-tool-grammar` without it whatever the run's config says);
 * `--tool-output-room N|off` keeps N tokens free for the reply after a tool output, cutting a longer
 * output (probes.toolOutputRoom; default the engine's, seqLen / 4), `off` forces outputs whole;
 * `--probes` asks only the named probes; `--template` asks the probes' own template questions
 * (the run's held-out eval sets, as the probes stage does) instead of the natural sets.
 * Leaves out: rl-gain.
 */
import { readFile, writeFile } from "node:fs/promises";
import { type ModelStage, type ProbeResult, parseCliOptions, runPaths } from "@llm/core";
import { initBackend } from "@llm/model";
import { createProbes, formatPercent, naturalProbeInputs, runProbes } from "@llm/probes";
import type { PipelineConfig } from "../src/pipeline-config.js";
import { loadRunProbes, probeOptions } from "../src/stages/probe-queue.js";

const { values, positionals } = parseCliOptions(process.argv.slice(2), {
  stage: { type: "string", default: "rl" },
  limit: { type: "string" },
  out: { type: "string" },
  misses: { type: "boolean", default: false },
  probes: { type: "string" },
  template: { type: "boolean", default: false },
  "copy-guard": { type: "boolean", default: false },
  "copy-guard-calls": { type: "string" },
  "step-guard": { type: "string" },
  "number-guard-calls": { type: "string" },
  "answer-guard": { type: "boolean", default: false },
  "loop-guard": { type: "boolean", default: false },
  "loop-guard-scope": { type: "string" },
  "tool-grammar": { type: "boolean", default: false },
  "tool-grammar-calls": { type: "string" },
  "no-tool-grammar": { type: "boolean", default: false },
  "tool-output-room": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
});
const run = positionals[0];
if (run === undefined || values.help) {
  console.log(
    [
      "Usage: natural-eval.ts RUN [--stage rl|sft] [--limit N] [--out FILE] [--misses] [--probes a,b] [--template] [guard flags]",
      "RUN: a pipeline run folder; its config.json's probes guards apply, the flags below add to or replace them.",
      "  --stage rl|sft            the model asked (default rl)",
      "  --limit N                 N prompts of each set, spread over it (default: all)",
      "  --probes a,b              only these probes (letter-counting, decimal-comparison, identity,",
      "                            knowledge-and-refusal, small-talk, reasoning-order)",
      "  --template                the probes' own template questions instead of the natural sets",
      "  --misses                  print every miss; --out FILE writes the results as JSON",
      "  --copy-guard, --copy-guard-calls f,g     probes.copyGuard (on) / probes.copyGuardCalls",
      "  --step-guard word|run                    probes.wordStepGuard",
      "  --number-guard-calls f,g, --answer-guard probes.numberGuardCalls / probes.answerGuard",
      "  --loop-guard, --loop-guard-scope tool|turn probes.loopGuard",
      "  --tool-grammar, --tool-grammar-calls f,g, --no-tool-grammar  probes.toolGrammar",
      "  --tool-output-room N|off                 probes.toolOutputRoom",
    ].join("\n"),
  );
  process.exit(run === undefined && !values.help ? 1 : 0);
}
const stage = values.stage as ModelStage;
const { preset: config } = JSON.parse(await readFile(runPaths(run).config, "utf8")) as {
  preset: PipelineConfig;
};
await initBackend("wasm");
// --copy-guard: ask with @llm/engine's copy-constrained tool-call strings (probes.copyGuard)
if (values["copy-guard"]) config.probes.copyGuard = true;
// --copy-guard-calls count,search: guard only those calls (probes.copyGuardCalls)
if (values["copy-guard-calls"] !== undefined)
  config.probes.copyGuardCalls = values["copy-guard-calls"].split(",");
// --step-guard word|run: word-counting steps copied from the question (probes.wordStepGuard)
if (values["step-guard"] !== undefined) {
  const mode = values["step-guard"];
  if (mode !== "word" && mode !== "run") throw new Error(`--step-guard takes word or run, not ${mode}`);
  config.probes.wordStepGuard = mode;
}
// --number-guard-calls Math.max,Math.min: number literals of those calls copied from the question
// (probes.numberGuardCalls); --answer-guard: the "####" number copied from the tool's output
if (values["number-guard-calls"] !== undefined)
  config.probes.numberGuardCalls = values["number-guard-calls"].split(",");
if (values["answer-guard"]) config.probes.answerGuard = true;
// --loop-guard: ask with @llm/engine's repetition block in tool-call strings (probes.loopGuard)
if (values["loop-guard"]) config.probes.loopGuard = true;
// --loop-guard-scope tool: only in tool calls (probes.loopGuard { scope: "tool" })
if (values["loop-guard-scope"] !== undefined)
  config.probes.loopGuard = { scope: values["loop-guard-scope"] as "tool" | "turn" };
// --tool-grammar: a tool call is a well-formed call of a sandbox tool (probes.toolGrammar)
if (values["tool-grammar"]) config.probes.toolGrammar = true;
if (values["tool-grammar-calls"] !== undefined)
  config.probes.toolGrammar = values["tool-grammar-calls"].split(",");
if (values["no-tool-grammar"]) config.probes.toolGrammar = false;
// --tool-output-room N|off: tokens kept free for the reply after a tool output, a longer output
// cut to fit (probes.toolOutputRoom; default the engine's, seqLen / 4); off forces outputs whole
if (values["tool-output-room"] !== undefined) {
  const room = values["tool-output-room"];
  if (room !== "off" && !/^\d+$/.test(room))
    throw new Error(`--tool-output-room takes a number or off, not ${room}`);
  config.probes.toolOutputRoom = room === "off" ? false : Number(room);
}
const loaded = await loadRunProbes(run, config);
const started = Date.now();
try {
  const engine = loaded.context.engines[stage];
  if (engine === undefined) throw new Error(`The run has no ${stage} model.`);
  const answerFirst = loaded.context.variants?.["answer-first"];
  const templateInputs = loaded.context.inputs ?? {};
  const context = {
    ...loaded.context,
    inputs: values.template
      ? templateInputs
      : naturalProbeInputs(templateInputs, {
          ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
        }),
    variants: { "steps-first": engine, ...(answerFirst ? { "answer-first": answerFirst } : {}) },
  };
  const base = probeOptions(config);
  const all = [
    "letter-counting",
    "decimal-comparison",
    "identity",
    "knowledge-and-refusal",
    "small-talk",
    "reasoning-order",
  ];
  const names = values.probes ? all.filter((n) => values.probes?.split(",").includes(n)) : all;
  const options = {
    "letter-counting": { ...base["letter-counting"], stages: [stage], maxExamples: 1000 },
    "decimal-comparison": { ...base["decimal-comparison"], stages: [stage], maxExamples: 1000 },
    identity: { ...base.identity, stages: [stage], maxExamples: 1000 },
    "knowledge-and-refusal": { ...base["knowledge-and-refusal"], stages: [stage], maxExamples: 1000 },
    "small-talk": { stages: [stage], maxExamples: 1000 },
    "reasoning-order": { ...base["reasoning-order"], maxExamples: 1000 },
  };
  const results: ProbeResult[] = await runProbes(context, createProbes(options, names), {
    onLog: (e) => console.error(e.message),
  });
  const m = (name: string, key: string) => results.find((r) => r.name === name)?.metrics[key] ?? Number.NaN;
  const pct = (x: number) => (Number.isNaN(x) ? "n/a" : formatPercent(x));
  const lines: Array<[string, number, string]> = [
    ["letters with the tool (>= 85%)", m("letter-counting", `${stage}.toolAccuracy`), "letter-counting"],
    [
      "decimals with the tool, asked-for number first (>= 90%)",
      m("decimal-comparison", `${stage}.tool.answerFirstAccuracy`),
      "decimal-comparison",
    ],
    [
      "decimals with the tool, asked-for number second (>= 90%)",
      m("decimal-comparison", `${stage}.tool.answerSecondAccuracy`),
      "decimal-comparison",
    ],
    [
      'decimals, "which is smaller"',
      m("decimal-comparison", `${stage}.tool.smallerAccuracy`),
      "decimal-comparison",
    ],
    ["identity (>= 90%)", m("identity", `${stage}.identityRate`), "identity"],
    [
      "refusal on unknown entities (>= 80%)",
      m("knowledge-and-refusal", `${stage}.unknownRefusalRate`),
      "knowledge",
    ],
    [
      "false refusal on known entities (<= 20%)",
      m("knowledge-and-refusal", `${stage}.knownFalseRefusalRate`),
      "knowledge",
    ],
    [
      "name copied exactly into search()",
      m("knowledge-and-refusal", `${stage}.searchExactNameRate`),
      "knowledge",
    ],
    ["greetings answered as greetings (>= 90%)", m("small-talk", `${stage}.smallTalkRate`), "small-talk"],
    [
      `word counting, steps first (${stage}; >= 80%)`,
      m("reasoning-order", "stepsFirst.accuracy"),
      "reasoning-order",
    ],
    [
      "word counting, answer first (SFT twin)",
      m("reasoning-order", "answerFirst.accuracy"),
      "reasoning-order",
    ],
  ];
  for (const [label, value] of lines) console.log(`${label.padEnd(60)} ${pct(value)}`);
  console.log(`(${run}, ${stage}; ${Math.round((Date.now() - started) / 1000)} s)`);
  if (values.misses) {
    for (const r of results)
      for (const e of r.examples)
        if (e.correct === false)
          console.log(`  ${r.name} ${e.model}: ${e.prompt} -> ${e.output.slice(0, 120)}`);
  }
  if (values.out) await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await loaded.dispose();
}
