/**
 * Demo: GRPO's core on arithmetic. Scores a group of four sampled answers to one problem with the
 * checkable reward, turns rewards into group-relative advantages (with and without std scaling),
 * and shows how the clipped ratio objective limits each update. With `--run runs/NAME` it then
 * runs a few real GRPO steps from that run's SFT model and prints reward and held-out pass@1.
 */
import { existsSync } from "node:fs";
import { parseCliOptions, runPaths, type Task } from "@llm/core";
import { ToolSandbox } from "@llm/engine";
import { initBackend, loadCheckpoint } from "@llm/model";
import { defaultReward, groupAdvantages, rlTaskSets, trainGrpo } from "@llm/rl";
import { BpeTokenizer } from "@llm/tokenizer";
import type { DemoOutput } from "../demo-registry.js";

export async function run(args: readonly string[], out: DemoOutput): Promise<void> {
  const runDir = parseCliOptions(args, { run: { type: "string" } }, { allowPositionals: false }).values.run;
  const task: Task = { id: "demo", kind: "arithmetic", prompt: "What is 23 + 48?", answer: "71" };
  const completions = [
    "23 + 48: 20 + 40 = 60. 3 + 8 = 11. 60 + 11 = 71.\n#### 71",
    "23 + 48: 20 + 40 = 60. 3 + 8 = 12. 60 + 12 = 72.\n#### 72",
    "#### 61",
    "23 + 48 = 71, I think.",
  ];
  const rewards = completions.map((c) => defaultReward(c, task).reward);
  const scaled = groupAdvantages(rewards, completions.length).advantages;
  const centred = groupAdvantages(rewards, completions.length, { scaleRewards: false }).advantages;
  out.log(
    `Problem: ${task.prompt} (answer ${task.answer}); a group of ${completions.length} sampled answers:`,
  );
  completions.forEach((c, i) => {
    out.log(
      `  reward ${rewards[i]}  advantage ${scaled[i]?.toFixed(2)} (GRPO) / ${centred[i]?.toFixed(2)} (Dr. GRPO)  ${JSON.stringify(c)}`,
    );
  });
  out.log(
    "Every token of an answer gets its answer's advantage: the right path is pushed up, the others down.",
  );
  out.log("\nThe clipped objective min(rho*A, clip(rho, 0.8, 1.2)*A) for A = +1 and A = -1:");
  for (const rho of [0.5, 0.8, 1.0, 1.2, 1.5]) {
    const clip = Math.min(Math.max(rho, 0.8), 1.2);
    const pos = Math.min(rho * 1, clip * 1);
    const neg = Math.min(rho * -1, clip * -1);
    out.log(
      `  ratio ${rho.toFixed(1)}: A=+1 -> ${pos.toFixed(2)}${rho > 1.2 ? " (clipped: no gradient)" : ""}, A=-1 -> ${neg.toFixed(2)}${rho < 0.8 ? " (clipped: no gradient)" : ""}`,
    );
  }
  if (!runDir || !existsSync(runPaths(runDir).checkpointFiles("sft").model)) {
    out.log(
      "\nRun `pnpm demo grpo-arithmetic --run runs/small` after `pnpm pipeline` to train a real model for a few steps.",
    );
    return;
  }
  await initBackend("auto");
  const tokenizer = await BpeTokenizer.load(runPaths(runDir).tokenizerJson);
  const { model } = await loadCheckpoint(runPaths(runDir).checkpoint("sft"));
  const sets = rlTaskSets(["arithmetic"], { count: 200, evalCount: 16, seed: 5 });
  const tools = await ToolSandbox.create();
  try {
    const result = await trainGrpo(
      { model, tokenizer },
      sets.train,
      {
        steps: 4,
        promptsPerStep: 4,
        groupSize: 6,
        maxNewTokens: 48,
        learningRate: 5e-5,
        evalEvery: 4,
        evalSamples: 2,
        evalK: 2,
      },
      {
        onStep: (e) =>
          out.log(`step ${e.step}: mean reward ${e.metrics?.reward?.toFixed(3)}, loss ${e.loss.toFixed(4)}`),
      },
      { heldOut: sets.heldOut, tools },
    );
    const first = result.evaluations[0];
    const last = result.evaluations.at(-1);
    out.log(`held-out pass@1: ${first?.passAt1.toFixed(3)} -> ${last?.passAt1.toFixed(3)}`);
  } finally {
    await tools.close();
    model.dispose();
  }
}
