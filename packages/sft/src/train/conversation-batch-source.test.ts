import type { Conversation } from "@llm/core";
import { describe, expect, it } from "vitest";
import { renderConversation } from "../chat/render-conversation.js";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { ConversationBatchSource } from "./conversation-batch-source.js";

const tok = new ByteTokenizer();
const conv = (q: string, a: string): Conversation => ({
  messages: [
    { role: "user", content: q },
    { role: "assistant", content: a },
  ],
});
const conversations = [conv("a", "xy"), conv("bb", "z"), conv("ccc", "w"), conv("d", "vv")];
const bos = tok.specialId("<|bos|>");

describe("ConversationBatchSource", () => {
  it("pads one conversation per row with targets shifted and the mask aligned to targets", async () => {
    const source = new ConversationBatchSource(conversations, tok, {
      batchSize: 2,
      seqLen: 16,
      mode: "pad",
      shuffle: false,
    });
    const batch = await source.next();
    const rendered = renderConversation(conversations[0] as Conversation, tok);
    const T = 16;
    expect(Array.from(batch.inputs.slice(0, rendered.ids.length))).toEqual(rendered.ids);
    expect(Array.from(batch.targets.slice(0, rendered.ids.length - 1))).toEqual(rendered.ids.slice(1));
    expect(Array.from(batch.mask?.slice(0, rendered.ids.length - 1) ?? [])).toEqual(rendered.mask.slice(1));
    // Trained targets are exactly the assistant's text and its end token.
    const trained = Array.from(batch.targets.slice(0, T)).filter((_, t) => batch.mask?.[t] === 1);
    expect(tok.decode(trained)).toBe("xy<|assistant_end|>");
    // Padding is masked out.
    expect(Array.from(batch.mask?.slice(rendered.ids.length - 1, T) ?? []).every((m) => m === 0)).toBe(true);
    expect(batch.inputs[T - 1]).toBe(bos);
    expect(source.rowsPerEpoch).toBe(4);
  });

  it("packs several conversations per row without splitting any", async () => {
    const source = new ConversationBatchSource(conversations, tok, {
      batchSize: 1,
      seqLen: 16,
      mode: "pack",
      shuffle: false,
    });
    const lengths = conversations.map((c) => renderConversation(c, tok).ids.length);
    expect(lengths).toEqual([8, 8, 9, 8]);
    expect(source.rowsPerEpoch).toBe(2);
    const batch = await source.next();
    const row = [...Array.from(batch.inputs), batch.targets[15] as number];
    // Two whole conversations, each starting with <|bos|>.
    expect(row[0]).toBe(bos);
    expect(row[8]).toBe(bos);
    const trained = Array.from(batch.targets).filter((_, t) => batch.mask?.[t] === 1);
    expect(tok.decode(trained)).toBe("xy<|assistant_end|>z<|assistant_end|>");
    expect(source.maskedFraction).toBeGreaterThan(0);
  });

  it("skips conversations that cannot fit and reports how many", () => {
    const long = conv("q".repeat(100), "a");
    const source = new ConversationBatchSource([long, ...conversations], tok, { batchSize: 1, seqLen: 20 });
    expect(source.skipped).toBe(1);
    expect(source.conversationCount).toBe(4);
    expect(() => new ConversationBatchSource([long], tok, { batchSize: 1, seqLen: 20 })).toThrow(
      /No conversation fits/,
    );
  });

  it("reshuffles each epoch and resumes exactly from a saved position", async () => {
    const many = Array.from({ length: 10 }, (_, i) => conv(`q${i}`, `a${i}`));
    const a = new ConversationBatchSource(many, tok, { batchSize: 3, seqLen: 16, mode: "pad", seed: 5 });
    for (let i = 0; i < 4; i++) await a.next();
    const saved = a.position();
    expect(saved).toEqual({ epoch: 1, row: 2 });
    const expected = [await a.next(), await a.next()];
    const b = new ConversationBatchSource(many, tok, { batchSize: 3, seqLen: 16, mode: "pad", seed: 5 });
    b.restore(saved);
    expect([await b.next(), await b.next()]).toEqual(expected);
    expect(() => b.restore({ epoch: "x" })).toThrow(/integer epoch/);
  });
});
