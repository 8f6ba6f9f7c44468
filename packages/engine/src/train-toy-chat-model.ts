/**
 * trainToyChatModel: a tiny GPT (2 layers x 64, byte tokenizer) fitted by SFT to a few
 * conversations, for the decoding guards' end-to-end tests: trained until it reproduces the
 * conversations' tool calls, so a test can show what a guard changes in a real model's real
 * decoding through the engine. Reference: the toy-overfit checks of nanoGPT-style test suites.
 * Leaves out: anything a real run needs (held-out data, checkpoints); not exported from the package.
 */
import type { Conversation } from "@llm/core";
import { GPT } from "@llm/model";
import { trainSft } from "@llm/sft";
import { ByteTokenizer } from "@llm/sft/testing";

/** The byte tokenizer the toy models are trained with (and the engine must decode with). */
export const toyTokenizer = new ByteTokenizer();

/** A 2 x 64 GPT of context `seqLen` after 80 SFT steps on `conversations` (seed 3); `steps` as trainSft reports them. */
export async function trainToyChatModel(
  conversations: readonly Conversation[],
  seqLen = 128,
): Promise<{ model: GPT; steps: number }> {
  const model = new GPT(
    { vocabSize: toyTokenizer.vocabSize, seqLen, nLayer: 2, nEmbd: 64, nHead: 2 },
    { seed: 3 },
  );
  const result = await trainSft(model, conversations, {
    tokenizer: toyTokenizer,
    batchSize: 2,
    mode: "pad",
    steps: 80,
    lr: 2e-2,
    warmupSteps: 10,
    weightDecay: 0,
    seed: 3,
  });
  return { model, steps: result.steps };
}
