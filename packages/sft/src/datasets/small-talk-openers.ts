/**
 * composeOpener: the openings of a chat that are neither a question nor a task, put together from
 * parts: checking that someone is there ("hey, you awake?"), the user introducing themselves
 * ("hi, my name's Lena."), a line about their day ("just finished my shift"), season's wishes
 * ("happy new year, Nano!"). A model fine-tuned on tasks answers them with a search() for the
 * user's name, a word count of the sentence or its identity; these rows answer them as a greeting
 * or a pleasantry. Every prompt has a lead-in or a tail and is varied in case and typos
 * (varyTemplate), as composeSmallTalk's are.
 * Reference: the conversational openings of OpenAssistant (oasst2) and nanochat's SmolTalk share.
 * Leaves out: Chinese (composeSmallTalk's Chinese greetings cover the short forms), multi-turn.
 */
import type { Rng } from "@llm/core";
import { varyTemplate } from "./question-variation.js";
import type { SmallTalkKind } from "./small-talk.js";

interface OpenerParts {
  kind: SmallTalkKind;
  cores: readonly string[];
  leads: readonly string[];
  tails: readonly string[];
  ends: readonly string[];
}

const USERS = ["Sam", "Ana", "Felix", "Noor", "Ivan", "Chloe", "Hiro", "Beatriz", "Kofi", "Elif"];

const OPENERS: readonly OpenerParts[] = [
  {
    kind: "greeting",
    cores: [
      "you there",
      "anybody around",
      "are you awake",
      "is somebody on the other end",
      "are you online",
      "can you hear me",
      "is this thing on",
      "you around",
      "are you still there",
      "anyone out there",
      "are you listening",
    ],
    leads: ["Hello,", "Hi,", "Hey,", "Hellooo,", "Um,", "Knock knock,", "Psst,", "Hey {name},"],
    tails: [" right now", " today", " at all", " {name}", " this late"],
    ends: ["?", "??", "", "? :)"],
  },
  {
    kind: "greeting",
    cores: [
      "my name is {user}",
      "my name's {user}",
      "I'm called {user}",
      "this is {user}",
      "{user} here",
      "I go by {user}",
      "you can call me {user}",
    ],
    leads: ["Hi,", "Hello,", "Hey,", "Good morning,", "Hi there,", "Hello {name},", "Evening,"],
    tails: [", nice to be here", ", first time here", ", I'm a student", ", I work in a bakery", ""],
    ends: [".", "!", "", " :)"],
  },
  {
    kind: "pleasantry",
    cores: [
      "I just finished my shift",
      "I'm back from the gym",
      "I just woke up from a nap",
      "it's been a long day",
      "I finally finished my homework",
      "I'm sitting in a cafe",
      "I just made some tea",
      "my train is late again",
      "it's sunny here today",
      "I'm on my lunch break",
      "work was busy today",
      "I just walked the dog",
    ],
    leads: ["Hi,", "Hey,", "Hello!", "Phew,", "Well,", "So,", "Hi {name},"],
    tails: [", just saying", ", what a day", ", so here I am", " and wanted to chat", ""],
    ends: [".", "!", "", " :)"],
  },
  {
    kind: "pleasantry",
    cores: [
      "happy new year",
      "happy birthday to me",
      "happy friday",
      "happy easter",
      "season's greetings",
      "have a good weekend",
      "enjoy your evening",
      "happy thanksgiving",
      "best wishes for the holidays",
    ],
    leads: ["Hey,", "Hi,", "Oh,", "Hello,", "And", "Hi {name},"],
    tails: [" everyone", ", {name}", " to you", " from me", " my friend"],
    ends: ["!", ".", "", "!!"],
  },
];

/** One composed opener and its small-talk kind, deterministic by `rng`. */
export function composeOpener(rng: Rng, name = "there"): { kind: SmallTalkKind; prompt: string } {
  const parts = rng.pick(OPENERS);
  const core = rng.pick(parts.cores);
  // a lead-in, a tail or both; never the core alone
  const shape = rng.int(3);
  const lead = shape !== 1 ? rng.pick(parts.leads) : "";
  let tail = shape !== 0 ? rng.pick(parts.tails) : "";
  if (lead === "" && tail === "") tail = rng.pick(parts.tails.filter((t) => t !== ""));
  const lowered = /^(I |I'|\{)/.test(core) ? core : core[0]?.toLowerCase() + core.slice(1);
  let text = lead === "" ? core[0]?.toUpperCase() + core.slice(1) : `${lead} ${lowered}`;
  text = `${text}${tail}${rng.pick(parts.ends)}`;
  text = text.replaceAll("{name}", name).replaceAll("{user}", rng.pick(USERS));
  return { kind: parts.kind, prompt: varyTemplate(text, rng, { context: 0, typo: 0.1, lowerCase: 0.35 }) };
}
