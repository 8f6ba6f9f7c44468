/**
 * createScriptedProbeContext: a complete ProbeContext whose "models" are scripts with the
 * behaviours the probes look for: a base model that rambles and repeats its training text, an SFT
 * model that miscounts letters and calls 9.11 larger than 9.9 unless it uses the tool, knows its
 * name and says "I don't know" about invented entities, an RL model that samples right more
 * often, and answer-first / steps-first variants. For tests and demos of runProbes and the
 * renderers without trained checkpoints. Reference: none. Leaves out: anything learned.
 */
import type { ChatEngine, ProbeContext } from "@llm/core";
import { defaultKnowledgeTasks } from "../probes/knowledge-and-refusal.js";
import { CharTokenizer } from "./char-tokenizer.js";
import { type ScriptCall, ScriptedChatEngine, type ScriptedTurn } from "./scripted-chat-engine.js";
import { MemorizingGenerator } from "./scripted-generator.js";

export const SCRIPTED_TRAINING_TEXT = [
  "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore.",
  "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness, it was the epoch of belief.",
];

export const SCRIPTED_HELD_OUT_TEXT = [
  "The committee met on Tuesday to discuss the budget for the new library wing, and agreed to extend its opening hours on weekends.",
  "Our small garden produced more tomatoes this year than the whole street could eat, so we gave baskets of them to the school kitchen.",
];

function letterTask(prompt: string): { word: string; letter: string; count: number } | undefined {
  const m =
    /How many "(\w)" are in "(\w+)"|the letter "?(\w)"? appear in "?(\w+)"?|How many (\w)'s are in the word "(\w+)"/.exec(
      prompt,
    );
  if (!m) return undefined;
  const letter = (m[1] ?? m[3] ?? m[5])!;
  const word = (m[2] ?? m[4] ?? m[6])!;
  return { word, letter, count: word.split(letter).length - 1 };
}

function decimalPair(prompt: string): [string, string] | undefined {
  const m = /(\d+\.\d+) or (\d+\.\d+)\?/.exec(prompt);
  return m ? [m[1]!, m[2]!] : undefined;
}

function arithmetic(prompt: string): number | undefined {
  const m = /(\d+) ([-+*]) (\d+)/.exec(prompt);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[3])];
  return m[2] === "+" ? a + b : m[2] === "-" ? a - b : a * b;
}

/** The assistant behaviour shared by SFT and RL; `skill` in [0, 1] sets how often sampled math is right. */
function assistant(name: string, skill: number, facts: ReadonlyMap<string, string>) {
  return ({ prompt, options }: ScriptCall): string | ScriptedTurn => {
    const letters = letterTask(prompt);
    if (letters) {
      if (options.tools === false) return `"${letters.word}" has 2 ${letters.letter}'s.\n#### 2`;
      return {
        text: `Let me count with code.`,
        toolCall: {
          code: `'${letters.word}'.split('${letters.letter}').length - 1`,
          output: String(letters.count),
        },
        after: `\n#### ${letters.count}`,
      };
    }
    const pair = decimalPair(prompt);
    if (pair) {
      const [a, b] = pair;
      const larger = Number(a) > Number(b) ? a : b;
      const decimals = (x: string) => x.split(".")[1]?.length ?? 0;
      const longer = decimals(a) >= decimals(b) ? a : b;
      if (options.tools === false) return `${longer} is larger.\n#### ${longer}`;
      return {
        text: "",
        toolCall: { code: `Math.max(${a}, ${b})`, output: larger },
        after: `\n#### ${larger}`,
      };
    }
    const value = arithmetic(prompt);
    if (value !== undefined) {
      const right = ((options.seed ?? 0) % 4) / 4 < skill;
      return `Step by step.\n#### ${right ? value : value + 1}`;
    }
    const smallTalk =
      /\b(hello|hi|hey|hiya|howdy|morning|afternoon|evening|greetings|how are|how's|what's up|thank|thanks|bye|goodbye|later|meet you|night)\b|你好|谢谢|再见|早上好/i;
    if (smallTalk.test(prompt) && !/who|name|yourself|谁|名字/i.test(prompt)) {
      return /[\u4e00-\u9fff]/.test(prompt)
        ? "你好！有什么可以帮你的吗？"
        : "Hello! How can I help you today?";
    }
    if (
      /who are|who you|your name|name, please|call you|you called|yourself|talking to|你|谁/i.test(prompt)
    ) {
      return /[\u4e00-\u9fff]/.test(prompt)
        ? `我是${name}，一个小型聊天助手。`
        : `I'm ${name}, a small chat assistant.`;
    }
    const fact = facts.get(prompt);
    return fact ? `It is known for its ${fact}.` : "I don't know; I have no reliable information about that.";
  };
}

export interface ScriptedProbeContextOptions {
  /** The identity the SFT/RL scripts answer with. Default "nanochat". */
  name?: string;
  /** Include the RL stage. Default true. */
  rl?: boolean;
}

export async function createScriptedProbeContext(
  options: ScriptedProbeContextOptions = {},
): Promise<ProbeContext> {
  const name = options.name ?? "nanochat";
  const tokenizer = new CharTokenizer("ours-chars");
  const bos = tokenizer.specialId("<|bos|>");
  const base = new ScriptedChatEngine(({ prompt }) => `${prompt} And then the man said that the`);
  // It knows the first 3 of every 4 held-out known entities of @llm/sft's knowledge base.
  const known = (await defaultKnowledgeTasks()).known;
  const facts = new Map(known.filter((_, i) => i % 4 !== 3).map((t) => [t.prompt, t.answer]));
  const sft = new ScriptedChatEngine(assistant(name, 0.25, facts));
  const rl = new ScriptedChatEngine(assistant(name, 0.75, facts));
  const answerFirst: ChatEngine = new ScriptedChatEngine(({ prompt, call }) => {
    const value = arithmetic(prompt) ?? 0;
    return `#### ${call % 3 === 0 ? value : value + 10}\nI worked it out.`;
  });
  const stepsFirst: ChatEngine = new ScriptedChatEngine(({ prompt, call }) => {
    const value = arithmetic(prompt) ?? 0;
    return `Working it out step by step.\n#### ${call % 5 === 4 ? value - 1 : value}`;
  });
  return {
    tokenizer,
    engines: options.rl === false ? { base, sft } : { base, sft, rl },
    generators: {
      base: new MemorizingGenerator(
        tokenizer,
        SCRIPTED_TRAINING_TEXT.map((t) => [bos, ...tokenizer.encode(t)]),
      ),
    },
    variants: { "answer-first": answerFirst, "steps-first": stepsFirst },
    inputs: {
      identity: { name },
      "base-model-as-repeater": { trainingText: SCRIPTED_TRAINING_TEXT, heldOutText: SCRIPTED_HELD_OUT_TEXT },
    },
    seed: 0,
  };
}
