/**
 * The probes' paired questions (letter counting and decimal comparison ask every question
 * directly, tools off, and with the tool) on a trained run's chat models, two ways in one process,
 * alternating so that a shared machine's load hits both alike: two chat() calls per question (what
 * the probes did), and one SftChatEngine.chatToolModes call (what they do now: the part the two
 * turns share, up to the first closed tool call, decoded once). Checks that both give the same
 * replies (every message and token), and prints the time per question of each and the ratio, in
 * CPU time of this process and in wall time.
 * Usage (repo root): npx tsx --conditions=@llm/source bench/generate/tool-modes.ts --run DIR
 *   [--stages sft,rl] [--items 32] [--rounds 2]
 * (DIR: a pipeline run with eval/sft.json and sft/ or rl/ checkpoints, e.g. /work/runs/base.)
 * Leaves out: the other probes (one mode each), the base model (asked directly only).
 */
import { parseArgs } from "node:util";
import type { ChatEngine, ModelStage, Task } from "@llm/core";
import * as m from "@llm/model";

const { values } = parseArgs({
  options: {
    run: { type: "string" },
    stages: { type: "string", default: "sft,rl" },
    items: { type: "string", default: "32" },
    rounds: { type: "string", default: "2" },
  },
});
if (values.run === undefined) throw new Error("--run DIR is required");
type Probes = typeof import("../../packages/probes/src/index.ts");
const probes = (await import("../../packages/probes/src/index.ts")) as Probes;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

await m.initBackend("wasm");
const items = Number(values.items);
// the pipeline's probe engines: greedy, copy guard on count() calls (the small preset's probes)
const loaded = await probes.loadProbeContext(values.run, {
  itemsPerProbe: items,
  copyGuard: true,
  copyGuardCalls: ["count"],
});
const inputs = loaded.context.inputs ?? {};
const tasks = [
  ...((inputs["letter-counting"] as Task[] | undefined) ?? []),
  ...((inputs["decimal-comparison"] as Task[] | undefined) ?? []),
];
const options = { temperature: 0, maxTokens: 96, seed: loaded.context.seed };
type Pair = Awaited<ReturnType<Probes["chatOnceToolModes"]>>;
const ways: Record<string, (engine: ChatEngine, prompt: string) => Promise<Pair>> = {
  "two chat() calls": async (engine, prompt) => ({
    direct: await probes.chatOnce(engine, prompt, { ...options, tools: false }),
    tool: await probes.chatOnce(engine, prompt, { ...options, tools: true }),
  }),
  chatToolModes: (engine, prompt) => probes.chatOnceToolModes(engine, prompt, options),
};
for (const stage of values.stages.split(",") as ModelStage[]) {
  const engine = loaded.context.engines[stage];
  if (engine === undefined) continue;
  const rows: Record<string, { cpu: number[]; wall: number[]; replies: string[] }> = {};
  for (const way of Object.keys(ways)) rows[way] = { cpu: [], wall: [], replies: [] };
  let calls = 0;
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [way, ask] of Object.entries(ways)) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const replies: Pair[] = [];
      for (const task of tasks) replies.push(await ask(engine, task.prompt));
      const row = rows[way] as (typeof rows)[string];
      row.cpu.push((cpuMs() - c0) / tasks.length);
      row.wall.push((performance.now() - t0) / tasks.length);
      row.replies.push(JSON.stringify(replies));
      calls = replies.filter((r) => r.direct.toolCalls.length > 0).length;
    }
  }
  const a = rows["two chat() calls"] as (typeof rows)[string];
  const b = rows.chatToolModes as (typeof rows)[string];
  const same = [...a.replies, ...b.replies].every((r) => r === a.replies[0]);
  const min = (xs: number[]) => Math.min(...xs);
  console.log(
    JSON.stringify({
      stage,
      questions: tasks.length,
      directRepliesWithACall: calls,
      "two calls, CPU ms a question (per round)": a.cpu.map(Math.round),
      "chatToolModes, CPU ms a question": b.cpu.map(Math.round),
      "two calls, wall ms": a.wall.map(Math.round),
      "chatToolModes, wall ms": b.wall.map(Math.round),
      "speedup, CPU (best of rounds)": Number((min(a.cpu) / min(b.cpu)).toFixed(2)),
      "speedup, wall (best of rounds)": Number((min(a.wall) / min(b.wall)).toFixed(2)),
      sameReplies: same,
    }),
  );
}
await loaded.dispose();
