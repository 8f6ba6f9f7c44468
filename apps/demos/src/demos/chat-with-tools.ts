/**
 * Demo: how a chat model uses a tool. Renders a letter-counting conversation in our chat format
 * with its loss mask (green: what the assistant writes and is trained on; grey: the user and the
 * tool output), runs the assistant's tool call in the QuickJS sandbox, and shows the sandbox
 * containing hostile code. With `--run runs/NAME` it also asks that run's SFT model.
 */

import { existsSync } from "node:fs";
import { colorEnabled, parseCliOptions, runPaths } from "@llm/core";
import { collectChat, SftChatEngine, ToolSandbox } from "@llm/engine";
import { initBackend, loadCheckpoint } from "@llm/model";
import {
  formatMaskedConversation,
  letterCountTasks,
  letterTaskConversations,
  renderConversation,
} from "@llm/sft";
import { BpeTokenizer, trainBpe } from "@llm/tokenizer";
import type { DemoOutput } from "../demo-registry.js";

export async function run(args: readonly string[], out: DemoOutput): Promise<void> {
  const runDir = parseCliOptions(args, { run: { type: "string" } }, { allowPositionals: false }).values.run;
  const tasks = letterCountTasks({ seed: 3, count: 1 }).train;
  const conversation = letterTaskConversations(tasks, "tool")[0];
  if (!conversation) throw new Error("no conversation generated");
  const tokenizer = runDir
    ? await BpeTokenizer.load(runPaths(runDir).tokenizerJson)
    : await trainBpe(
        conversation.messages
          .map((m) => m.content)
          .join("\n")
          .repeat(20),
        { vocabSize: 300 },
      );
  const rendered = renderConversation(conversation, tokenizer);
  const color = colorEnabled(process.stdout, process.env);
  out.log("A training conversation (trained-on tokens marked):");
  out.log(formatMaskedConversation(rendered, tokenizer, { color }));
  out.log(
    `${rendered.ids.length} tokens, ${rendered.mask.filter((m) => m === 1).length} of them in the loss`,
  );

  const sandbox = await ToolSandbox.create();
  try {
    const code = conversation.messages.flatMap((m) => m.toolCalls ?? []).map((c) => c.code)[0];
    if (code) {
      const result = await sandbox.run(code);
      out.log(
        `\nThe assistant's tool call: ${code}\nSandbox result: ${result.output}${result.isError ? " (error)" : ""}`,
      );
    }
    out.log("\nThe sandbox contains what the model might write:");
    for (const hostile of [
      "while (true) {}",
      "require('fs').readFileSync('/etc/passwd')",
      "process.exit(1)",
      "'x'.repeat(1e6)",
    ]) {
      const result = await sandbox.run(hostile);
      out.log(
        `  ${hostile.padEnd(44)} -> ${result.isError ? `error (${result.errorKind}): ${result.output.slice(0, 60)}` : result.output.slice(0, 60)}`,
      );
    }
    if (runDir && existsSync(runPaths(runDir).checkpointFiles("sft").model)) {
      await initBackend("auto");
      const { model } = await loadCheckpoint(runPaths(runDir).checkpoint("sft"));
      const engine = new SftChatEngine({ model, tokenizer, sandbox });
      for (const question of [
        'How many r\'s are in the word "strawberry"?',
        "Which is larger, 9.11 or 9.9?",
      ]) {
        const turn = await collectChat(engine, [{ role: "user", content: question }], { maxTokens: 96 });
        out.log(`\nuser: ${question}\nassistant: ${turn.text}`);
      }
      model.dispose();
    }
  } finally {
    await sandbox.close();
  }
}
