/**
 * Learnability check: can a tiny GPT learn the task formats of @llm/sft from scratch in a few
 * minutes on a CPU? Trains a BPE tokenizer on the generated conversations, trains a tiny model on a
 * mixture (letter counting and decimal comparison with tools, arithmetic steps-first, identity)
 * and prints held-out accuracy through the chat engine (tool calls run in the sandbox).
 * Run: cd apps/pipeline && npx tsx --conditions=@llm/source experiments/learnability.ts [steps] [depth] [lr]
 * Leaves out: pretraining (a base model would only make this easier).
 */
import type { Conversation, Task } from "@llm/core";
import { collectChat, SftChatEngine, ToolSandbox } from "@llm/engine";
import { GPT, initBackend } from "@llm/model";
import {
  arithmeticConversations,
  arithmeticTasks,
  decimalCompareConversations,
  decimalCompareTasks,
  identityConversations,
  identityTasks,
  letterCountTasks,
  letterTaskConversations,
  mixConversations,
  renderConversation,
  taskReward,
  trainSft,
} from "@llm/sft";
import { trainBpe } from "@llm/tokenizer";

const steps = Number(process.argv[2] ?? 300);
const depth = Number(process.argv[3] ?? 2);
const backend = await initBackend("wasm");
const letters = letterCountTasks({ seed: 0, count: 600, evalCount: 30 });
const decimals = decimalCompareTasks({ seed: 0, count: 600, evalCount: 30 });
const arithmetic = arithmeticTasks({ seed: 0, count: 1000, evalCount: 30, ops: ["+"] });
const identity = identityConversations({}, { seed: 0, count: 300 });
const mix = mixConversations(
  [
    { name: "letters", conversations: letterTaskConversations(letters.train, "tool") },
    { name: "decimals", conversations: decimalCompareConversations(decimals.train, "tool") },
    { name: "arithmetic", conversations: arithmeticConversations(arithmetic.train, "steps-first") },
    { name: "identity", conversations: identity.train },
  ],
  { seed: 0, valFraction: 0.02 },
);
const text = (c: Conversation) =>
  c.messages.map((m) => m.content + (m.toolCalls ?? []).map((t) => t.code).join("")).join("\n");
let t0 = performance.now();
const tokenizer = await trainBpe(mix.train.map(text), { vocabSize: 512 });
console.log(`tokenizer: vocab ${tokenizer.vocabSize} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const lengths = mix.train.map((c) => renderConversation(c, tokenizer).ids.length);
console.log(
  `conversations ${mix.train.length}, mean ${Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length)} tokens, max ${Math.max(...lengths)}`,
);
const model = new GPT(
  { vocabSize: tokenizer.vocabSize, seqLen: 96, depth, nEmbd: 64 * depth, nHead: depth },
  { seed: 0 },
);
console.log(`backend ${backend.name}, ${model.parameterCount()} parameters, ${steps} steps`);
t0 = performance.now();
await trainSft(
  model,
  mix.train,
  {
    tokenizer,
    batchSize: 8,
    steps,
    lr: Number(process.argv[4] ?? 3e-3),
    warmupSteps: 20,
    schedule: "linear",
    valConversations: mix.val,
    evalEvery: 100,
    seed: 0,
  },
  {
    onStep: (e) => {
      if (e.step % 25 === 0 || e.valLoss !== undefined)
        console.log(
          `step ${e.step} loss ${e.loss.toFixed(3)}${e.valLoss === undefined ? "" : ` val ${e.valLoss.toFixed(3)}`} ${Math.round(e.tokensPerSecond ?? 0)} tok/s`,
        );
    },
  },
);
const trainSeconds = (performance.now() - t0) / 1000;
console.log(`trained in ${trainSeconds.toFixed(0)} s`);
const sandbox = await ToolSandbox.create();
const engine = new SftChatEngine({ model, tokenizer, sandbox });
async function accuracy(name: string, tasks: readonly Task[]) {
  let correct = 0;
  let example = "";
  for (const task of tasks) {
    const turn = await collectChat(
      engine,
      [{ role: "user", content: task.prompt }],
      { maxTokens: 64 },
      tokenizer,
    );
    const r = taskReward(turn.text, task).reward;
    correct += r;
    if (!example) example = `${task.prompt} -> ${turn.text.replace(/\n/g, "\\n")}`;
  }
  console.log(`${name}: ${correct}/${tasks.length} held-out correct  e.g. ${example}`);
}
await accuracy("letter-count (tool)", letters.eval);
await accuracy("decimal-compare (tool)", decimals.eval);
await accuracy("arithmetic + (steps-first)", arithmetic.eval);
await accuracy(
  "identity (held-out paraphrases)",
  identityTasks({}, { seed: 0 }).eval.filter(
    (t) => t.metadata?.lang === "en" && t.metadata?.question === "who",
  ),
);
await sandbox.close();
