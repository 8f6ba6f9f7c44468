/**
 * Smoke test of the fast demos: each runs in-process and prints what it promises.
 * (train-tiny-gpt trains for a minute and is left to `pnpm demo train-tiny-gpt`.)
 */
import { describe, expect, it } from "vitest";
import { DEMOS, findDemo } from "./demo-registry.js";

async function runDemo(name: string, args: string[] = []): Promise<string> {
  const demo = findDemo(name);
  if (!demo) throw new Error(`no demo ${name}`);
  const lines: string[] = [];
  await (await demo.load()).run(args, { log: (line) => lines.push(line) });
  return lines.join("\n");
}

describe("demos", () => {
  it("lists five demos, each with a module", async () => {
    expect(DEMOS.map((d) => d.name)).toEqual([
      "compare-tokenizers",
      "clean-web-page",
      "train-tiny-gpt",
      "chat-with-tools",
      "grpo-arithmetic",
    ]);
    for (const demo of DEMOS) expect(typeof (await demo.load()).run).toBe("function");
  });

  it("compare-tokenizers shows how five tokenizers cut the seed's examples", async () => {
    const out = await runDemo("compare-tokenizers");
    for (const name of ["gpt2", "cl100k_base", "o200k_base", "deepseek_v3", "qwen3"])
      expect(out).toContain(name);
    expect(out).toContain('tokens for "我刚才吃了西瓜籽": gpt2 19');
    expect(out).toContain("jieba words");
  });

  it("clean-web-page keeps the article without boilerplate or PII and drops the spam with a reason", async () => {
    const out = await runDemo("clean-web-page");
    expect(out).toContain("Herman Melville sailed");
    expect(out).not.toContain("jane.doe@example-history.org");
    expect(out).not.toContain("Accept all cookies");
    expect(out).toMatch(/spam-email[\s\S]*DROPPED: \w+/);
  });

  it("chat-with-tools renders a masked tool conversation and contains hostile code", async () => {
    const out = await runDemo("chat-with-tools");
    expect(out).toContain("<|python_start|>");
    expect(out).toMatch(/Sandbox result: \d+/);
    expect(out).toContain("error (timeout)");
    expect(out).toMatch(/require[^\n]+-> error/);
  }, 60_000);

  it("grpo-arithmetic computes TRL's group advantages for one right answer in four", async () => {
    const out = await runDemo("grpo-arithmetic");
    expect(out).toContain("reward 1  advantage 1.50 (GRPO) / 0.75 (Dr. GRPO)");
    expect(out).toContain("reward 0  advantage -0.50 (GRPO) / -0.25 (Dr. GRPO)");
    expect(out).toContain("clipped: no gradient");
  });
});
