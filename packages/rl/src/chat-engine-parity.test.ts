import "@tensorflow/tfjs-backend-cpu";
import type { Message } from "@llm/core";
import { collectChat, SftChatEngine } from "@llm/engine";
import { GPT } from "@llm/model";
import { renderPrompt } from "@llm/sft";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CharTokenizer } from "./__fixtures__/char-tokenizer.js";
import { generateRollouts } from "./generate-rollouts.js";

const tokenizer = new CharTokenizer();
let model: GPT;

beforeAll(async () => {
  await tf.setBackend("cpu");
  model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen: 48, nLayer: 2, nHead: 2, nEmbd: 32 },
    { seed: 9 },
  );
  const head = model.parameters().get("lm_head.weight") as tf.Variable;
  tf.tidy(() => head.assign(tf.mul(tf.randomNormal(head.shape, 0, 1, "float32", 3), 0.4)));
});

afterAll(() => model.dispose());

describe("rollouts and @llm/engine's chat engine", () => {
  it("sample the same turn from the same model, prompt and seed", async () => {
    const engine = new SftChatEngine({ model, tokenizer });
    const messages: Message[] = [{ role: "user", content: "what is 12+3?" }];
    const task = { id: "p", kind: "arithmetic", prompt: "what is 12+3?", answer: "15" };
    for (const seed of [1, 2, 3, 4, 5]) {
      const turn = await collectChat(
        engine,
        messages,
        { temperature: 1, seed, maxTokens: 16, tools: false },
        tokenizer,
      );
      const [rollout] = await generateRollouts(
        model,
        tokenizer,
        [{ task, ids: renderPrompt(messages, tokenizer) }],
        {
          groupSize: 1,
          maxNewTokens: 16,
          seed,
        },
      );
      const ours =
        rollout?.finishReason === "stop" ? rollout.completionIds.slice(0, -1) : rollout?.completionIds;
      expect(ours).toEqual(turn.tokens);
      expect(rollout?.finishReason).toBe(turn.reason);
      expect(rollout?.text).toBe(turn.text);
    }
    engine.dispose();
  });
});
