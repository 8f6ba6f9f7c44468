/**
 * The demos `pnpm demo NAME` runs: one short script per concept of the recipe, each a module in
 * src/demos/ exporting `run(args, out)`. Loaded lazily so that listing demos loads no tensor code.
 */

export interface DemoOutput {
  /** Writes one line (the smoke test captures it). */
  log(line: string): void;
}

export interface DemoModule {
  run(args: readonly string[], out: DemoOutput): Promise<void>;
}

export interface DemoEntry {
  name: string;
  summary: string;
  /** Seconds on a 2-core CPU, roughly. */
  seconds: number;
  load(): Promise<DemoModule>;
}

export const DEMOS: readonly DemoEntry[] = [
  {
    name: "compare-tokenizers",
    summary:
      "How gpt2, cl100k, o200k, DeepSeek-V3 and Qwen3 cut the same sentences (strawberry, 9.11, 我刚才吃了西瓜籽)",
    seconds: 5,
    load: () => import("./demos/compare-tokenizers.js"),
  },
  {
    name: "clean-web-page",
    summary:
      "An HTML email/web page through the FineWeb-style cleaning chain: what is kept, what is dropped and why",
    seconds: 5,
    load: () => import("./demos/clean-web-page.js"),
  },
  {
    name: "train-tiny-gpt",
    summary: "Train a byte-level BPE and a tiny GPT on Moby Dick for a minute and sample from it",
    seconds: 60,
    load: () => import("./demos/train-tiny-gpt.js"),
  },
  {
    name: "chat-with-tools",
    summary: "The chat format, loss masks and the sandboxed JavaScript tool that counts letters exactly",
    seconds: 10,
    load: () => import("./demos/chat-with-tools.js"),
  },
  {
    name: "grpo-arithmetic",
    summary: "GRPO group advantages and the clipped objective on arithmetic rewards, step by step",
    seconds: 30,
    load: () => import("./demos/grpo-arithmetic.js"),
  },
];

export function findDemo(name: string): DemoEntry | undefined {
  return DEMOS.find((d) => d.name === name);
}
